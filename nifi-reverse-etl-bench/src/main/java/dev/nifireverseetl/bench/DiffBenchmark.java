package dev.nifireverseetl.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The diff benchmark: the second run of DiffRecords' engine over a snapshot with 1% changed, 0.5% added and 0.5%
 * removed rows, against the pass-through of the same records through the same reader and writer. Each measurement runs
 * in a child JVM limited to {@value #HEAP} of heap (so finishing at all proves the heap bound), on the embedded store
 * at two sizes (for the scaling figure) and on PostgreSQL.
 * <p>
 * Metrics: diff.ratio and diff.rows_per_s (unchanged records counted but not written, as with DiffRecords' unchanged
 * relationship auto-terminated), diff.ratio_keep_unchanged (every record written with its sync fields), diff.ratio_cpu
 * (process CPU time instead of wall clock: robust when other work shares the machine), diff.peak_heap_mb,
 * diff.scaling (per-row cost at the large size over the small size), diff_jdbc.ratio, diff_jdbc.ratio_keep_unchanged,
 * diff_jdbc.rows_per_s.
 */
public final class DiffBenchmark implements Benchmark {

    static final String HEAP = "512m";

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public void run(final BenchContext context) throws Exception {
        final long small = context.quick() ? 200_000 : 1_000_000;
        final long large = context.quick() ? 1_000_000 : 10_000_000;
        final long jdbcRows = context.quick() ? 100_000 : 1_000_000;

        final Map<String, Double> smallRun = measure(context, "embedded", small);
        final Map<String, Double> largeRun = measure(context, "embedded", large);
        final double smallPerRow = smallRun.get("diff_unchanged_dropped_seconds") / smallRun.get("rows");
        final double largePerRow = largeRun.get("diff_unchanged_dropped_seconds") / largeRun.get("rows");
        // diff.ratio: DiffRecords as documented (unchanged auto-terminated, so unchanged records are counted, not written);
        // diff.ratio_keep_unchanged: every record written, unchanged ones with their sync fields (bigger than the input)
        context.metric("diff.ratio", largeRun.get("diff_unchanged_dropped_seconds") / largeRun.get("passthrough_seconds"));
        context.metric("diff.ratio_keep_unchanged", largeRun.get("diff_seconds") / largeRun.get("passthrough_seconds"));
        context.metric("diff.ratio_cpu", largeRun.get("diff_unchanged_dropped_cpu_seconds") / largeRun.get("passthrough_cpu_seconds"));
        context.metric("diff.rows_per_s", largeRun.get("rows") / largeRun.get("diff_unchanged_dropped_seconds"));
        context.metric("diff.peak_heap_mb", Math.max(smallRun.get("peak_heap_mb"), largeRun.get("peak_heap_mb")));
        context.metric("diff.scaling", largePerRow / smallPerRow);

        final Map<String, Double> jdbcRun = measure(context, "jdbc", jdbcRows);
        context.metric("diff_jdbc.ratio", jdbcRun.get("diff_unchanged_dropped_seconds") / jdbcRun.get("passthrough_seconds"));
        context.metric("diff_jdbc.ratio_keep_unchanged", jdbcRun.get("diff_seconds") / jdbcRun.get("passthrough_seconds"));
        context.metric("diff_jdbc.rows_per_s", jdbcRun.get("rows") / jdbcRun.get("diff_unchanged_dropped_seconds"));

        context.note("diff", String.format("second run over %,d rows (scaling vs %,d) on the embedded store, %,d rows on embedded PostgreSQL; "
                + "1%% changed, 0.5%% added, 0.5%% removed; diff.ratio and rows_per_s: unchanged auto-terminated (counted, not written), *_keep_unchanged: every record written with its sync fields; wall clock, diff.ratio_cpu: process CPU time; each size in a "
                + "child JVM with -Xmx%s -XX:+UseParallelGC; peak heap = largest live heap after GC during the second run", large, small, jdbcRows, HEAP));
    }

    private static Map<String, Double> measure(final BenchContext context, final String backend, final long rows) throws Exception {
        context.progress(String.format("  %s, %,d rows", backend, rows));
        final Path work = context.workDirectory().resolve("diff-" + backend + "-" + rows);
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx" + HEAP, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                DiffBenchmarkWorker.class.getName(), backend, Long.toString(rows), work.toString()));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        final Process process = builder.start();
        final Map<String, Double> results = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("result.")) {
                    final int equals = line.indexOf('=');
                    results.put(line.substring("result.".length(), equals), Double.parseDouble(line.substring(equals + 1)));
                } else if (!line.startsWith("SLF4J")) {
                    context.progress("    " + line);
                }
            }
        }
        final int exit = process.waitFor();
        if (exit != 0 || !results.containsKey("diff_seconds")) {
            throw new IllegalStateException("the " + backend + " diff measurement of " + rows + " rows failed (exit " + exit + ")");
        }
        return results;
    }
}
