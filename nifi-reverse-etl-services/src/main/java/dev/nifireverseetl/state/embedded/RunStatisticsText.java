package dev.nifireverseetl.state.embedded;

import dev.nifireverseetl.state.SyncRunStatistics;

/**
 * The stored text form of a run's figures: comma-separated fields in record order.
 */
final class RunStatisticsText {

    private RunStatisticsText() {
    }

    static String format(final SyncRunStatistics statistics) {
        return String.join(",", statistics.runId(), Long.toString(statistics.added()), Long.toString(statistics.changed()),
                Long.toString(statistics.removed()), Long.toString(statistics.unchanged()), Long.toString(statistics.invalid()),
                Long.toString(statistics.startedAtMillis()), Long.toString(statistics.finishedAtMillis()));
    }

    static SyncRunStatistics parse(final String text) {
        final String[] parts = text.split(",");
        if (parts.length != 8) {
            throw new IllegalStateException("Run statistics in the state store have an unknown format");
        }
        return new SyncRunStatistics(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                Long.parseLong(parts[4]), Long.parseLong(parts[5]), Long.parseLong(parts[6]), Long.parseLong(parts[7]));
    }
}
