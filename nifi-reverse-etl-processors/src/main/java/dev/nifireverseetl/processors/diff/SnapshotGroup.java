package dev.nifireverseetl.processors.diff;

import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.FlowFileFilter;
import org.apache.nifi.processor.ProcessSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The FlowFiles that make up one complete snapshot: a FlowFile without fragment attributes alone, or every FlowFile
 * with the same {@code fragment.identifier}, ordered by {@code fragment.index}, once all {@code fragment.count} of
 * them are queued.
 */
final class SnapshotGroup {

    static final String FRAGMENT_ID = "fragment.identifier";
    static final String FRAGMENT_INDEX = "fragment.index";
    static final String FRAGMENT_COUNT = "fragment.count";

    enum Status { COMPLETE, WAITING, INVALID }

    private final Status status;
    private final List<FlowFile> flowFiles;
    private final String failureReason;
    private final String failureMessage;

    private SnapshotGroup(final Status status, final List<FlowFile> flowFiles, final String failureReason, final String failureMessage) {
        this.status = status;
        this.flowFiles = flowFiles;
        this.failureReason = failureReason;
        this.failureMessage = failureMessage;
    }

    Status status() {
        return status;
    }

    List<FlowFile> flowFiles() {
        return flowFiles;
    }

    String failureReason() {
        return failureReason;
    }

    String failureMessage() {
        return failureMessage;
    }

    /**
     * Takes the rest of the first FlowFile's fragment group from the queue.
     *
     * @param waitTimeoutMillis how long the oldest fragment may wait for the others
     */
    static SnapshotGroup collect(final FlowFile first, final ProcessSession session, final long waitTimeoutMillis) {
        final String identifier = first.getAttribute(FRAGMENT_ID);
        if (identifier == null) {
            return new SnapshotGroup(Status.COMPLETE, List.of(first), null, null);
        }
        final List<FlowFile> group = new ArrayList<>();
        group.add(first);
        group.addAll(session.get(sameFragment(identifier)));
        final Integer count = parse(first.getAttribute(FRAGMENT_COUNT));
        if (count == null || count < 1) {
            return new SnapshotGroup(Status.INVALID, group, "INVALID_FRAGMENTS",
                    "fragment.identifier is set but fragment.count is missing or not a positive number, so the snapshot cannot be known complete");
        }
        final Set<Integer> indexes = new HashSet<>();
        for (final FlowFile flowFile : group) {
            final Integer index = parse(flowFile.getAttribute(FRAGMENT_INDEX));
            if (index == null || index < 0 || !indexes.add(index) || !String.valueOf(count).equals(flowFile.getAttribute(FRAGMENT_COUNT))) {
                return new SnapshotGroup(Status.INVALID, group, "INVALID_FRAGMENTS",
                        "The fragments of " + identifier + " have missing, repeated or inconsistent fragment.index / fragment.count values");
            }
        }
        if (group.size() > count) {
            return new SnapshotGroup(Status.INVALID, group, "INVALID_FRAGMENTS", "More FlowFiles than fragment.count for " + identifier);
        }
        if (group.size() < count) {
            final long oldestEntry = group.stream().mapToLong(FlowFile::getEntryDate).min().orElse(System.currentTimeMillis());
            if (System.currentTimeMillis() - oldestEntry > waitTimeoutMillis) {
                return new SnapshotGroup(Status.INVALID, group, "INCOMPLETE_SNAPSHOT",
                        "Only " + group.size() + " of " + count + " fragments of " + identifier + " arrived within the Fragment Wait Timeout");
            }
            return new SnapshotGroup(Status.WAITING, group, null, null);
        }
        group.sort(Comparator.comparingInt(flowFile -> parse(flowFile.getAttribute(FRAGMENT_INDEX))));
        return new SnapshotGroup(Status.COMPLETE, group, null, null);
    }

    private static FlowFileFilter sameFragment(final String identifier) {
        return flowFile -> identifier.equals(flowFile.getAttribute(FRAGMENT_ID))
                ? FlowFileFilter.FlowFileFilterResult.ACCEPT_AND_CONTINUE
                : FlowFileFilter.FlowFileFilterResult.REJECT_AND_CONTINUE;
    }

    private static Integer parse(final String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (final NumberFormatException e) {
            return null;
        }
    }
}
