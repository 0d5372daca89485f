package dev.nifireverseetl.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark gets: the size mode, a scratch directory, and the place to report metrics and progress.
 */
public final class BenchContext {

    private final boolean quick;
    private final Path workDirectory;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    BenchContext(final boolean quick, final Path workDirectory) {
        this.quick = quick;
        this.workDirectory = workDirectory;
    }

    /**
     * @return true for {@code bench/run --quick}: the whole run must stay under 5 minutes on 2 cores
     */
    public boolean quick() {
        return quick;
    }

    /**
     * @return a scratch directory, deleted by nobody: benchmarks clean up what they make
     */
    public Path workDirectory() {
        return workDirectory;
    }

    public void metric(final String name, final double value) {
        metrics.put(name, value);
        progress(String.format("  %-36s %,.4f", name, value));
    }

    /**
     * A human-readable note printed under the table (for example what the baseline was).
     */
    public void note(final String name, final String text) {
        notes.put(name, text);
    }

    public void progress(final String line) {
        System.out.println(line);
        System.out.flush();
    }

    Map<String, Double> metrics() {
        return metrics;
    }

    Map<String, String> notes() {
        return notes;
    }
}
