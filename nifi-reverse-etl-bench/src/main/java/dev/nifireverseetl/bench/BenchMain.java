package dev.nifireverseetl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The benchmark entry point ({@code bench/run [--quick] [name ...]}): runs every registered benchmark (or the named
 * ones), prints a table and writes {@code target/bench/results.json}, one flat JSON object of metric name to number.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        boolean quick = false;
        Path output = Path.of("target/bench/results.json");
        final List<String> selected = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--quick".equals(args[i])) {
                quick = true;
            } else if ("--out".equals(args[i]) && i + 1 < args.length) {
                output = Path.of(args[++i]);
            } else {
                selected.add(args[i]);
            }
        }
        final Path work = Files.createDirectories(output.toAbsolutePath().getParent().resolve("work"));
        final BenchContext context = new BenchContext(quick, work);
        final Map<String, Long> seconds = new LinkedHashMap<>();
        final List<String> failures = new ArrayList<>();
        for (final Benchmark benchmark : ServiceLoader.load(Benchmark.class)) {
            if (!selected.isEmpty() && !selected.contains(benchmark.name())) {
                continue;
            }
            context.progress("== " + benchmark.name() + (quick ? " (quick)" : ""));
            final long start = System.nanoTime();
            try {
                benchmark.run(context);
            } catch (final Exception | AssertionError e) {
                failures.add(benchmark.name() + ": " + e);
                context.progress("   FAILED: " + e);
            }
            seconds.put(benchmark.name(), (System.nanoTime() - start) / 1_000_000_000L);
        }

        final Map<String, Object> results = new LinkedHashMap<>(context.metrics());
        results.put("java.version", (double) Runtime.version().feature());
        results.put("cpu.count", (double) Runtime.getRuntime().availableProcessors());
        Files.createDirectories(output.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), results);

        System.out.println();
        System.out.printf("%-40s %18s%n", "metric", "value");
        System.out.println("-".repeat(59));
        for (final Map.Entry<String, Object> entry : results.entrySet()) {
            System.out.printf("%-40s %,18.4f%n", entry.getKey(), (Double) entry.getValue());
        }
        System.out.println("-".repeat(59));
        for (final Map.Entry<String, Long> entry : seconds.entrySet()) {
            System.out.printf("%-40s %15d s%n", "time." + entry.getKey(), entry.getValue());
        }
        for (final Map.Entry<String, String> note : context.notes().entrySet()) {
            System.out.println(note.getKey() + ": " + note.getValue());
        }
        System.out.println("results: " + output.toAbsolutePath());
        if (!failures.isEmpty()) {
            System.err.println("benchmark failures: " + failures);
            System.exit(1);
        }
    }
}
