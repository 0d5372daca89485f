package dev.nifireverseetl.processors.engine;

/**
 * The destination's answer for one item.
 *
 * @param itemId        the {@link WriteItem#itemId()} it answers
 * @param status        succeeded, failed (permanently) or retryable
 * @param destinationId the destination record id (successes), or null when the destination did not say
 * @param created       true when the destination created the record, false when it updated it, null when unknown
 * @param errorCode     the destination's own error code (failures), for example {@code INVALID_EMAIL}
 * @param errorMessage  the destination's own error message (failures)
 */
public record ItemOutcome(String itemId, Status status, String destinationId, Boolean created, String errorCode, String errorMessage) {

    public ItemOutcome {
        if (itemId == null || status == null) {
            throw new IllegalArgumentException("An item outcome needs an item id and a status");
        }
    }

    public static ItemOutcome succeeded(final String itemId, final String destinationId, final Boolean created) {
        return new ItemOutcome(itemId, Status.SUCCEEDED, destinationId, created, null, null);
    }

    public static ItemOutcome failed(final String itemId, final String errorCode, final String errorMessage) {
        return new ItemOutcome(itemId, Status.FAILED, null, null, errorCode, errorMessage);
    }

    public static ItemOutcome retryable(final String itemId, final String errorCode, final String errorMessage) {
        return new ItemOutcome(itemId, Status.RETRYABLE, null, null, errorCode, errorMessage);
    }

    /**
     * What happened to one item.
     */
    public enum Status {
        /** The destination accepted the item. */
        SUCCEEDED,
        /** The destination rejected the item; sending the same values again will fail again. */
        FAILED,
        /** The item was not written for a transient reason (for example a lock); the engine retries it. */
        RETRYABLE
    }
}
