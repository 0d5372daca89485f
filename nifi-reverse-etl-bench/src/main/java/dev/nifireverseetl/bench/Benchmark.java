package dev.nifireverseetl.bench;

/**
 * One benchmark run by {@code bench/run}. Implementations are listed in
 * {@code META-INF/services/dev.nifireverseetl.bench.Benchmark} and report metrics under fixed names.
 */
public interface Benchmark {

    /**
     * @return a short name, used to select benchmarks on the command line ({@code bench/run diff hubspot})
     */
    String name();

    /**
     * Runs the benchmark and reports its metrics into the context. Ratios are measured within this one run (ours
     * against a baseline on the same machine), never against remembered timings.
     */
    void run(BenchContext context) throws Exception;
}
