package dev.nifireverseetl.processors.engine;

import org.apache.nifi.components.DescribedValue;

/**
 * What happens to records DiffRecords marks as removed (_retl_op = removed).
 */
public enum RemovalMode implements DescribedValue {
    REMOVE("archive", "Archive (or delete, as the destination calls it) the destination record."),
    IGNORE("ignore", "Send nothing: removed records are routed to success unchanged and the state is left as it is.");

    private final String value;
    private final String description;

    RemovalMode(final String value, final String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public String getDisplayName() {
        return value;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
