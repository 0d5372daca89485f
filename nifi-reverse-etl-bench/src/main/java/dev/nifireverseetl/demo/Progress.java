package dev.nifireverseetl.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long step on one console line: "label ... 1,250 / 5,000 (25%)", then "done" with the elapsed time.
 */
final class Progress {

    private final PrintStream out;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private int lastPercent = -1;

    Progress(final PrintStream out, final String label, final long total) {
        this.out = out;
        this.label = label;
        this.total = total;
        out.print("  " + label + " ...");
        out.flush();
    }

    void update(final long done) {
        if (total <= 0) {
            return;
        }
        final int percent = (int) (done * 100 / total);
        if (percent / 10 != lastPercent / 10) {
            lastPercent = percent;
            out.print(String.format(Locale.ROOT, "\r  %s ... %,d / %,d (%d%%)", label, done, total, percent));
            out.flush();
        }
    }

    void done(final String result) {
        final double seconds = (System.nanoTime() - started) / 1e9;
        out.println(String.format(Locale.ROOT, "\r  %s ... %s (%.1f s)          ", label, result, seconds));
    }
}
