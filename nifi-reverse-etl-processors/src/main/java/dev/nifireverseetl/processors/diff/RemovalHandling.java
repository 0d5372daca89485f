package dev.nifireverseetl.processors.diff;

import org.apache.nifi.components.DescribedValue;

/**
 * What DiffRecords does with keys that the state has accepted and the snapshot lacks.
 */
public enum RemovalHandling implements DescribedValue {
    EMIT("Emit Removals", "Keys missing from a complete snapshot are emitted to 'removed' (guarded by the removal limits)."),
    IGNORE("Ignore Removals", "Missing keys are not emitted; their accepted state is kept.");

    private final String displayName;
    private final String description;

    RemovalHandling(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return displayName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
