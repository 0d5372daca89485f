package dev.nifireverseetl.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.nifireverseetl.processors.diff.DiffEngine;
import dev.nifireverseetl.processors.diff.DiffOutput;
import dev.nifireverseetl.processors.diff.DiffRoute;
import dev.nifireverseetl.processors.diff.DiffSettings;
import dev.nifireverseetl.processors.diff.DiffSummary;
import dev.nifireverseetl.processors.diff.RowHasher;
import dev.nifireverseetl.processors.diff.RowVersion;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.state.embedded.MvStoreSyncStateStore;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateStore;
import dev.nifireverseetl.testsupport.records.JsonLines;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import javax.sql.DataSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The measurements of the diff benchmark for one store, run in their own JVM (started by {@link DiffBenchmark} with a
 * small -Xmx, which proves the heap bound). One warm-up, then every size goes through the same steps in a store of its
 * own, so that per-row costs compare like with like:
 * <ol>
 *     <li>warm-up: the same steps over {@value #WARM_UP_ROWS} rows (at most a quarter of the smallest size) of another
 *     sync in a store of its own (the JIT sees
 *     the pass-through and the diff before anything is measured, and the measured store holds only the measured sync);</li>
 *     <li>set-up: the state a first run leaves once the destination accepted all of its rows, built with the store's
 *     batch API (each row's key and version computed by the engine's own key extractor and hasher, a run recording the
 *     proposals, then the acceptances) instead of a full diff pass whose output would only be thrown away; the
 *     second run's figures prove the state is the one a first run leaves (every unchanged row must be found unchanged);
 *     the embedded store is then closed and reopened, as it would be saved long before a real second run;</li>
 *     <li>measured: the pass-through of the second snapshot through the same reader and writer, then the second run
 *     (1% changed, 0.5% added, 0.5% removed) with unchanged records not written; unless quick, also the second run with
 *     every record written and a second pass-through (the faster of the two counts).</li>
 * </ol>
 * Prints {@code result.<rows>.name=value} lines. Arguments: {@code embedded|jdbc rows[,rows...] workDirectory [quick]}.
 */
public final class DiffBenchmarkWorker {

    private static final String SYNC = "bench";
    private static final String WARM_UP_SYNC = "warm-up";
    private static final long WARM_UP_ROWS = 50_000;
    private static final int ACCEPT_BATCH = 10_000;

    private DiffBenchmarkWorker() {
    }

    public static void main(final String[] args) throws Exception {
        final String backend = args[0];
        final List<Long> sizes = new ArrayList<>();
        for (final String size : args[1].split(",")) {
            sizes.add(Long.parseLong(size));
        }
        final Path requested = Path.of(args[2]);
        final boolean quick = args.length > 3 && "quick".equals(args[3]);
        if (Files.exists(requested)) {
            // a measurement that was killed leaves its state behind: always start from an empty store
            deleteRecursively(requested);
        }
        final Path work = Files.createDirectories(requested);
        final HeapSampler sampler = new HeapSampler();
        sampler.start();
        try {
            warmUp(backend, work.resolve("warm-up"), Math.min(WARM_UP_ROWS, sizes.stream().mapToLong(Long::longValue).min().orElseThrow() / 4), quick);
            for (final long rows : sizes) {
                measure(backend, rows, work.resolve("rows-" + rows), quick, sampler);
            }
            sampler.stop();
        } finally {
            deleteRecursively(work);
        }
    }

    private static void warmUp(final String backend, final Path work, final long rows, final boolean quick) throws Exception {
        Files.createDirectories(work);
        final long started = System.nanoTime();
        final Path output = work.resolve("output.jsonl");
        final SyncStateStore store = openStore(backend, work.resolve("state"));
        try {
            final Path first = SampleCustomers.write(work.resolve("snapshot-1.jsonl"), 0, rows);
            final Path second = writeSecondSnapshot(work.resolve("snapshot-2.jsonl"), rows);
            acceptFirstRun(store, WARM_UP_SYNC, first);
            PassThroughBenchmark.measure(second, output);
            check(secondRun(store, WARM_UP_SYNC, second, output, false), rows);
            if (!quick) {
                secondRun(store, WARM_UP_SYNC, second, output, true);
            }
        } finally {
            close(store);
            deleteRecursively(work);
        }
        System.out.printf("progress: warm-up over %d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Measures one size in a store of its own; prints {@code result.<rows>.name=value} lines.
     */
    private static void measure(final String backend, final long rows, final Path work, final boolean quick, final HeapSampler sampler) throws Exception {
        Files.createDirectories(work);
        final Path output = work.resolve("output.jsonl");
        SyncStateStore store = openStore(backend, work.resolve("state"));
        final String prefix = "result." + rows + ".";
        try {
            long started = System.nanoTime();
            final Path first = SampleCustomers.write(work.resolve("snapshot-1.jsonl"), 0, rows);
            final Path second = writeSecondSnapshot(work.resolve("snapshot-2.jsonl"), rows);
            System.out.printf("progress: %,d rows: snapshots written in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
            started = System.nanoTime();
            acceptFirstRun(store, SYNC, first);
            if (store instanceof MvStoreSyncStateStore) {
                // a second run comes long after the first: reopen the store so that its background writer is not still
                // saving the first run's state (on the CPU) while the second run is measured
                close(store);
                store = openStore(backend, work.resolve("state"));
            }
            System.out.printf("progress: %,d rows: state of an accepted first run built in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);

            System.gc();
            started = System.nanoTime();
            long cpuStarted = cpuNanos();
            PassThroughBenchmark.measure(second, output);
            double passThroughSeconds = (System.nanoTime() - started) / 1e9;
            double passThroughCpuSeconds = (cpuNanos() - cpuStarted) / 1e9;

            System.gc();
            sampler.reset();
            started = System.nanoTime();
            cpuStarted = cpuNanos();
            final DiffSummary dropped = secondRun(store, SYNC, second, output, false);
            final double droppedSeconds = (System.nanoTime() - started) / 1e9;
            final double droppedCpuSeconds = (cpuNanos() - cpuStarted) / 1e9;
            check(dropped, rows);
            final double peakHeap = sampler.peakAfterCollection();
            final long inputRows = dropped.added() + dropped.changed() + dropped.unchanged();
            System.out.println(prefix + "diff_unchanged_dropped_seconds=" + droppedSeconds);
            System.out.println(prefix + "diff_unchanged_dropped_cpu_seconds=" + droppedCpuSeconds);

            if (!quick) {
                // proposals do not change the comparison: every pass over the second snapshot against this state diffs alike
                System.gc();
                started = System.nanoTime();
                cpuStarted = cpuNanos();
                final DiffSummary kept = secondRun(store, SYNC, second, output, true);
                final double diffSeconds = (System.nanoTime() - started) / 1e9;
                final double diffCpuSeconds = (cpuNanos() - cpuStarted) / 1e9;
                check(kept, rows);
                System.gc();
                started = System.nanoTime();
                cpuStarted = cpuNanos();
                PassThroughBenchmark.measure(second, output);
                passThroughSeconds = Math.min(passThroughSeconds, (System.nanoTime() - started) / 1e9);
                passThroughCpuSeconds = Math.min(passThroughCpuSeconds, (cpuNanos() - cpuStarted) / 1e9);
                System.out.printf("progress: %,d rows: every record written %.2f s (cpu %.2f s)%n", rows, diffSeconds, diffCpuSeconds);
                System.out.println(prefix + "diff_seconds=" + diffSeconds);
                System.out.println(prefix + "diff_cpu_seconds=" + diffCpuSeconds);
            }
            System.out.printf("progress: %,d rows: second run %d added, %d changed, %d removed, %d unchanged; unchanged dropped %.2f s (cpu %.2f s); "
                            + "pass-through %.2f s (cpu %.2f s)%n", rows, dropped.added(), dropped.changed(), dropped.removed(), dropped.unchanged(),
                    droppedSeconds, droppedCpuSeconds, passThroughSeconds, passThroughCpuSeconds);
            System.out.println(prefix + "passthrough_seconds=" + passThroughSeconds);
            System.out.println(prefix + "passthrough_cpu_seconds=" + passThroughCpuSeconds);
            System.out.println(prefix + "rows=" + inputRows);
            System.out.println(prefix + "peak_heap_mb=" + peakHeap);
        } finally {
            close(store);
            deleteRecursively(work);
        }
    }

    private static void close(final SyncStateStore store) {
        if (store instanceof MvStoreSyncStateStore embedded) {
            embedded.close();
        }
    }

    /**
     * Builds the state a first run over the snapshot leaves once the destination accepted every row: a run records each
     * row's version as proposed, the store records it accepted, the run completes with every row added.
     */
    private static void acceptFirstRun(final SyncStateStore store, final String syncId, final Path snapshot) throws Exception {
        final DiffEngine engine = engine(null);
        final RowHasher hasher = new RowHasher();
        final long startedAt = System.currentTimeMillis();
        long rows = 0;
        try (SyncRun run = store.beginRun(syncId);
             RecordReader reader = JsonLines.reader(new BufferedInputStream(Files.newInputStream(snapshot), 1 << 16))) {
            final Map<String, String> proposals = new HashMap<>();
            final List<Acceptance> acceptances = new ArrayList<>();
            RecordSchema schema = null;
            List<String> versionFields = List.of();
            Record record;
            while ((record = reader.nextRecord()) != null) {
                if (record.getSchema() != schema) {
                    schema = record.getSchema();
                    versionFields = engine.versionFields(schema);
                }
                final String key = engine.canonicalKey(record);
                final RowVersion version = hasher.hash(record, versionFields);
                proposals.put(key, version.version());
                acceptances.add(new Acceptance(key, version.version(), version.fieldHashes(), null, true));
                rows++;
                if (acceptances.size() >= ACCEPT_BATCH) {
                    run.recordProposed(proposals);
                    store.recordAccepted(syncId, acceptances);
                    proposals.clear();
                    acceptances.clear();
                }
            }
            if (!acceptances.isEmpty()) {
                run.recordProposed(proposals);
                store.recordAccepted(syncId, acceptances);
            }
            run.complete(new SyncRunStatistics(run.runId(), rows, 0, 0, 0, 0, startedAt, System.currentTimeMillis()));
        }
    }

    private static DiffEngine engine(final SyncStateStore store) {
        return new DiffEngine(new DiffSettings(List.of("customer_id"), List.of(), List.of(), true, 100.0, -1, false, 2_000), store);
    }

    /**
     * The measured second run: every route written by the JSON-lines writer, or unchanged records not wanted (as when
     * DiffRecords' unchanged relationship is auto-terminated).
     */
    private static DiffSummary secondRun(final SyncStateStore store, final String syncId, final Path snapshot, final Path output,
                                         final boolean keepUnchanged) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            final RecordSetWriter writer = JsonLines.writer(out, null);
            writer.beginRecordSet();
            final DiffSummary summary = engine(store).run(syncId, List.of(() -> JsonLines.reader(new BufferedInputStream(Files.newInputStream(snapshot), 1 << 16))),
                    new DiffOutput() {
                        @Override
                        public boolean wants(final DiffRoute route) {
                            return keepUnchanged || route != DiffRoute.UNCHANGED;
                        }

                        @Override
                        public void write(final DiffRoute route, final Record record) throws IOException {
                            writer.write(record);
                        }
                    });
            writer.finishRecordSet();
            writer.close();
            return summary;
        }
    }

    /**
     * @return the CPU time of the whole process (all threads, GC and the store's background writer included)
     */
    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void check(final DiffSummary summary, final long rows) {
        final long removed = (rows + 198) / 200;
        final long changed = (rows + 99) / 100;
        final long added = rows / 200;
        if (summary.stopped() || summary.removed() != removed || summary.added() != added || summary.changed() != changed) {
            throw new IllegalStateException("unexpected diff result " + summary + " (expected " + added + " added, " + changed
                    + " changed, " + removed + " removed)");
        }
    }

    /**
     * The second snapshot: rows with id % 200 == 1 removed, id % 100 == 0 changed (disjoint sets), rows/200 new ids appended.
     */
    private static Path writeSecondSnapshot(final Path file, final long rows) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long id = 0; id < rows + rows / 200; id++) {
                if (id < rows && id % 200 == 1) {
                    continue;
                }
                writer.write(SampleCustomers.row(id, id < rows && id % 100 == 0 ? 1 : 0));
                writer.newLine();
            }
        }
        return file;
    }

    private static SyncStateStore openStore(final String backend, final Path directory) {
        if ("jdbc".equals(backend)) {
            final DataSource dataSource = TestPostgres.freshDatabase();
            final JdbcSyncStateStore store = new JdbcSyncStateStore(dataSource::getConnection, Duration.ofHours(1));
            store.migrate();
            return store;
        }
        return new MvStoreSyncStateStore(directory, 64, Duration.ofHours(1), Clock.systemUTC());
    }

    private static void deleteRecursively(final Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Tracks the largest live heap: the sum of the heap pools' usage after their last collection, sampled every 50 ms.
     */
    private static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(50);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void reset() {
            peak.set(0);
        }

        void stop() throws InterruptedException {
            System.gc();
            sample();
            running = false;
            thread.join();
        }

        private void sample() {
            long used = 0;
            for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    final MemoryUsage afterCollection = pool.getCollectionUsage();
                    used += afterCollection == null ? pool.getUsage().getUsed() : afterCollection.getUsed();
                }
            }
            peak.accumulateAndGet(used, Math::max);
        }

        /**
         * @return the peak since the last reset, with a sample taken after a full collection
         */
        double peakAfterCollection() {
            System.gc();
            sample();
            return peakMegabytes();
        }

        double peakMegabytes() {
            return peak.get() / (1024.0 * 1024.0);
        }
    }
}
