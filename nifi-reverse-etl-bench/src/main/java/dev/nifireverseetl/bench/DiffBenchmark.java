package dev.nifireverseetl.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The diff benchmark: the second run of DiffRecords' engine over a snapshot with 1% changed, 0.5% added and 0.5%
 * removed rows, against the pass-through of the same records through the same reader and writer. Each measurement runs
 * in a child JVM per store limited to {@value #HEAP} of heap (so finishing at all proves the heap bound), on the
 * embedded store at two sizes (for the scaling figure, both in one JVM) and on PostgreSQL.
 * <p>
 * Metrics: diff.ratio and diff.rows_per_s (unchanged records counted but not written, as with DiffRecords' unchanged
 * relationship auto-terminated), diff.ratio_keep_unchanged (full run only: every record written with its sync fields), diff.ratio_cpu
 * (process CPU time instead of wall clock: robust when other work shares the machine), diff.peak_heap_mb,
 * diff.scaling (per-row cost at the large size over the small size), diff.scaling_vs_passthrough (the same relative to
 * the pass-through measured at each size), diff.scaling_cpu (the same in process CPU time), diff_jdbc.ratio, diff_jdbc.ratio_keep_unchanged,
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
        final long jdbcRows = context.quick() ? 50_000 : 1_000_000;

        // both sizes in one JVM after one warm-up: the same JIT and heap settings for the scaling figure. The large size
        // goes first, so whatever JIT warm-up is left burdens it: diff.scaling is an upper bound
        final Map<Long, Map<String, Double>> embedded = measure(context, "embedded", List.of(large, small));
        final Map<String, Double> smallRun = embedded.get(small);
        final Map<String, Double> largeRun = embedded.get(large);
        final double smallPerRow = smallRun.get("diff_unchanged_dropped_seconds") / smallRun.get("rows");
        final double largePerRow = largeRun.get("diff_unchanged_dropped_seconds") / largeRun.get("rows");
        // diff.ratio: DiffRecords as documented (unchanged auto-terminated, so unchanged records are counted, not written);
        // diff.ratio_keep_unchanged: every record written, unchanged ones with their sync fields (bigger than the input)
        context.metric("diff.ratio", largeRun.get("diff_unchanged_dropped_seconds") / largeRun.get("passthrough_seconds"));
        if (largeRun.containsKey("diff_seconds")) {
            context.metric("diff.ratio_keep_unchanged", largeRun.get("diff_seconds") / largeRun.get("passthrough_seconds"));
        }
        context.metric("diff.ratio_cpu", largeRun.get("diff_unchanged_dropped_cpu_seconds") / largeRun.get("passthrough_cpu_seconds"));
        context.metric("diff.rows_per_s", largeRun.get("rows") / largeRun.get("diff_unchanged_dropped_seconds"));
        context.metric("diff.peak_heap_mb", Math.max(smallRun.get("peak_heap_mb"), largeRun.get("peak_heap_mb")));
        context.metric("diff.scaling", largePerRow / smallPerRow);
        context.metric("diff.scaling_cpu", (largeRun.get("diff_unchanged_dropped_cpu_seconds") / largeRun.get("rows"))
                / (smallRun.get("diff_unchanged_dropped_cpu_seconds") / smallRun.get("rows")));
        // the same, relative to the pass-through measured next to each size (cancels machine load shared by both passes)
        context.metric("diff.scaling_vs_passthrough", (largeRun.get("diff_unchanged_dropped_seconds") / largeRun.get("passthrough_seconds"))
                / (smallRun.get("diff_unchanged_dropped_seconds") / smallRun.get("passthrough_seconds")));

        final Map<String, Double> jdbcRun = measure(context, "jdbc", List.of(jdbcRows)).get(jdbcRows);
        context.metric("diff_jdbc.ratio", jdbcRun.get("diff_unchanged_dropped_seconds") / jdbcRun.get("passthrough_seconds"));
        if (jdbcRun.containsKey("diff_seconds")) {
            context.metric("diff_jdbc.ratio_keep_unchanged", jdbcRun.get("diff_seconds") / jdbcRun.get("passthrough_seconds"));
        }
        context.metric("diff_jdbc.rows_per_s", jdbcRun.get("rows") / jdbcRun.get("diff_unchanged_dropped_seconds"));

        context.note("diff", String.format("second run over %,d rows (scaling vs %,d) on the embedded store, %,d rows on embedded PostgreSQL; "
                + "1%% changed, 0.5%% added, 0.5%% removed; diff.ratio and rows_per_s: unchanged auto-terminated (counted, not written), "
                + "*_keep_unchanged (full run only): every record written with its sync fields; wall clock, diff.ratio_cpu: process CPU time; "
                + "each store in a child JVM with -Xmx%s -XX:+UseParallelGC, one warm-up over up to 50,000 rows of another sync, then the same steps at every size "
                + "(the large size first, so diff.scaling is an upper bound; diff.scaling_cpu: the same in process CPU time; "
                + "diff.scaling_vs_passthrough: the same relative to each size's pass-through): "
                + "state of an accepted first run built through the store's batch API (the embedded store then closed and reopened), then pass-through and second run measured once each "
                + "(full run: also the second run writing every record and a second pass-through, the faster pass-through counts); "
                + "peak heap = largest live heap after GC during the second run%s", large, small, jdbcRows, HEAP,
                context.quick() ? "; quick: 50,000 rows on PostgreSQL (the issue's 1M-row embedded figure is kept)" : ""));
    }

    private static Map<Long, Map<String, Double>> measure(final BenchContext context, final String backend, final List<Long> sizes) throws Exception {
        context.progress(String.format("  %s, %s rows", backend, sizes.stream().map(size -> String.format("%,d", size)).collect(Collectors.joining(" and "))));
        final Path work = context.workDirectory().resolve("diff-" + backend);
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx" + HEAP, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                DiffBenchmarkWorker.class.getName(), backend, sizes.stream().map(String::valueOf).collect(Collectors.joining(",")), work.toString(),
                context.quick() ? "quick" : "full"));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        final Process process = builder.start();
        final Map<Long, Map<String, Double>> results = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("result.")) {
                    final int dot = line.indexOf('.', "result.".length());
                    final int equals = line.indexOf('=');
                    results.computeIfAbsent(Long.parseLong(line.substring("result.".length(), dot)), size -> new HashMap<>())
                            .put(line.substring(dot + 1, equals), Double.parseDouble(line.substring(equals + 1)));
                } else if (!line.startsWith("SLF4J")) {
                    context.progress("    " + line);
                }
            }
        }
        final int exit = process.waitFor();
        for (final long size : sizes) {
            if (exit != 0 || !results.containsKey(size) || !results.get(size).containsKey("diff_unchanged_dropped_seconds")) {
                throw new IllegalStateException("the " + backend + " diff measurement of " + size + " rows failed (exit " + exit + ")");
            }
        }
        return results;
    }
}
