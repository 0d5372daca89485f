package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.SyncRecordFields;

/**
 * Where a record of a diff run goes.
 */
public enum DiffRoute {
    ADDED(SyncRecordFields.Operation.ADDED),
    CHANGED(SyncRecordFields.Operation.CHANGED),
    REMOVED(SyncRecordFields.Operation.REMOVED),
    UNCHANGED(SyncRecordFields.Operation.UNCHANGED),
    /** Invalid input records (null or duplicate keys), with their error code and message. */
    INVALID(null);

    private final SyncRecordFields.Operation operation;

    DiffRoute(final SyncRecordFields.Operation operation) {
        this.operation = operation;
    }

    /**
     * @return the operation written to {@code _retl_op}, or null for invalid records
     */
    public SyncRecordFields.Operation operation() {
        return operation;
    }
}
