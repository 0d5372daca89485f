package dev.nifireverseetl.processors.engine;

import org.apache.nifi.components.DescribedValue;

/**
 * How records that are not removals are written.
 */
public enum SyncMode implements DescribedValue {
    UPSERT("upsert", "Create the record when its match key is new, update it otherwise (idempotent, safe to resend)."),
    UPDATE_ONLY("update only", "Update existing records only; a record whose key does not exist at the destination fails with the destination's not-found error."),
    CREATE_ONLY("create only", "Create new records only; records known to exist (from the sync state) are routed to success untouched, others are created and a duplicate fails with the destination's conflict error.");

    private final String value;
    private final String description;

    SyncMode(final String value, final String description) {
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
