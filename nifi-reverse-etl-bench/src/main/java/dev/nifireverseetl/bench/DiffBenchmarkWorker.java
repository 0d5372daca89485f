package dev.nifireverseetl.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.nifireverseetl.processors.diff.DiffEngine;
import dev.nifireverseetl.processors.diff.DiffOutput;
import dev.nifireverseetl.processors.diff.DiffRoute;
import dev.nifireverseetl.processors.diff.DiffSettings;
import dev.nifireverseetl.processors.diff.DiffSummary;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.state.embedded.MvStoreSyncStateStore;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateStore;
import dev.nifireverseetl.testsupport.records.JsonLines;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;

import javax.sql.DataSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One measurement of the diff benchmark, run in its own JVM (started by {@link DiffBenchmark} with a small -Xmx, which
 * proves the heap bound): builds the state with a first run whose added records are all accepted, then measures the
 * second run (1% changed, 0.5% added, 0.5% removed) against the pass-through baseline over the same file, reader and
 * writer. Prints {@code result.name=value} lines.
 * <p>
 * Arguments: {@code embedded|jdbc rows workDirectory}.
 */
public final class DiffBenchmarkWorker {

    private static final String SYNC = "bench";

    private DiffBenchmarkWorker() {
    }

    public static void main(final String[] args) throws Exception {
        final String backend = args[0];
        final long rows = Long.parseLong(args[1]);
        final Path requested = Path.of(args[2]);
        if (Files.exists(requested)) {
            // a measurement that was killed leaves its state behind: always start from an empty store
            deleteRecursively(requested);
        }
        final Path work = Files.createDirectories(requested);
        final HeapSampler sampler = new HeapSampler();
        sampler.start();
        final Path first = SampleCustomers.write(work.resolve("snapshot-1.jsonl"), 0, rows);
        final Path second = writeSecondSnapshot(work.resolve("snapshot-2.jsonl"), rows);
        final Path output = work.resolve("output.jsonl");
        final SyncStateStore store = openStore(backend, work.resolve("state"));
        try {
            final DiffEngine engine = new DiffEngine(new DiffSettings(List.of("customer_id"), List.of(), List.of(), true, 100.0, -1, false, 2_000), store);
            long started = System.nanoTime();
            final AcceptingOutput accepting = new AcceptingOutput(store);
            final DiffSummary setup = engine.run(SYNC, List.of(() -> JsonLines.reader(new BufferedInputStream(Files.newInputStream(first), 1 << 16))), accepting);
            accepting.flush();
            if (setup.added() != rows || setup.total() != rows) {
                throw new IllegalStateException("unexpected first run " + setup + " (expected " + rows + " added)");
            }
            System.out.printf("progress: first run (%d added, all accepted) in %.1f s%n", setup.added(), (System.nanoTime() - started) / 1e9);

            PassThroughBenchmark.measure(second, output);
            started = System.nanoTime();
            long cpuStarted = cpuNanos();
            PassThroughBenchmark.measure(second, output);
            final double passThroughBefore = (System.nanoTime() - started) / 1e9;
            final double passThroughCpuBefore = (cpuNanos() - cpuStarted) / 1e9;

            // warm-up pass, like the pass-through's first pass: proposals do not change the comparison, so every pass over
            // the second snapshot against this state diffs alike
            secondRun(engine, second, output, true);
            System.gc();
            sampler.reset();
            started = System.nanoTime();
            cpuStarted = cpuNanos();
            final DiffSummary summary = secondRun(engine, second, output, true);
            final double diffSeconds = (System.nanoTime() - started) / 1e9;
            final double diffCpuSeconds = (cpuNanos() - cpuStarted) / 1e9;
            started = System.nanoTime();
            cpuStarted = cpuNanos();
            final DiffSummary dropped = secondRun(engine, second, output, false);
            final double droppedSeconds = (System.nanoTime() - started) / 1e9;
            final double droppedCpuSeconds = (cpuNanos() - cpuStarted) / 1e9;
            sampler.stop();
            check(dropped, rows);
            started = System.nanoTime();
            cpuStarted = cpuNanos();
            PassThroughBenchmark.measure(second, output);
            final double passThroughSeconds = Math.min(passThroughBefore, (System.nanoTime() - started) / 1e9);
            final double passThroughCpuSeconds = Math.min(passThroughCpuBefore, (cpuNanos() - cpuStarted) / 1e9);
            check(summary, rows);
            final long inputRows = summary.added() + summary.changed() + summary.unchanged();
            System.out.printf("progress: second run %d added, %d changed, %d removed, %d unchanged in %.2f s (cpu %.2f s), unchanged dropped %.2f s "
                            + "(cpu %.2f s); pass-through %.2f s (cpu %.2f s)%n", summary.added(), summary.changed(), summary.removed(), summary.unchanged(),
                    diffSeconds, diffCpuSeconds, droppedSeconds, droppedCpuSeconds, passThroughSeconds, passThroughCpuSeconds);
            System.out.println("result.diff_seconds=" + diffSeconds);
            System.out.println("result.diff_unchanged_dropped_seconds=" + droppedSeconds);
            System.out.println("result.passthrough_seconds=" + passThroughSeconds);
            System.out.println("result.diff_cpu_seconds=" + diffCpuSeconds);
            System.out.println("result.diff_unchanged_dropped_cpu_seconds=" + droppedCpuSeconds);
            System.out.println("result.passthrough_cpu_seconds=" + passThroughCpuSeconds);
            System.out.println("result.rows=" + inputRows);
            System.out.println("result.peak_heap_mb=" + sampler.peakMegabytes());
        } finally {
            if (store instanceof MvStoreSyncStateStore embedded) {
                embedded.close();
            }
            deleteRecursively(work);
        }
    }

    /**
     * The measured second run: every route written by the JSON-lines writer, or unchanged records not wanted (as when
     * DiffRecords' unchanged relationship is auto-terminated).
     */
    private static DiffSummary secondRun(final DiffEngine engine, final Path snapshot, final Path output, final boolean keepUnchanged) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            final RecordSetWriter writer = JsonLines.writer(out, null);
            writer.beginRecordSet();
            final DiffSummary summary = engine.run(SYNC, List.of(() -> JsonLines.reader(new BufferedInputStream(Files.newInputStream(snapshot), 1 << 16))),
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
     * Plays the destination of the first run: every added record is accepted, in batches.
     */
    private static final class AcceptingOutput implements DiffOutput {
        private final SyncStateStore store;
        private final List<Acceptance> pending = new ArrayList<>();

        private AcceptingOutput(final SyncStateStore store) {
            this.store = store;
        }

        @Override
        public boolean wants(final DiffRoute route) {
            return route == DiffRoute.ADDED;
        }

        @Override
        public void write(final DiffRoute route, final Record record) {
            pending.add(new Acceptance(record.getAsString(SyncRecordFields.KEY), record.getAsString(SyncRecordFields.VERSION),
                    SyncRecordFields.decodeFieldHashes(record.getAsString(SyncRecordFields.FIELD_HASHES)), null, true));
            if (pending.size() >= 10_000) {
                flush();
            }
        }

        void flush() {
            if (!pending.isEmpty()) {
                store.recordAccepted(SYNC, pending);
                pending.clear();
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

        double peakMegabytes() {
            return peak.get() / (1024.0 * 1024.0);
        }
    }
}
