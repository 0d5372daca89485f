package dev.nifireverseetl.processors.resolve;

import org.apache.nifi.serialization.record.Record;

/**
 * The outcome for one record.
 *
 * @param record        the record as read
 * @param route         where it goes
 * @param destinationId the destination record id (matched), or null
 * @param fromCache     true when the id came from the cache (or the record) without a lookup
 * @param errorCode     why it was not matched (ambiguous, failure, retry), or null
 * @param errorMessage  the explanation, without raw personal data, or null
 */
record Resolution(Record record, ResolveRoute route, String destinationId, boolean fromCache, String errorCode, String errorMessage) {

    static Resolution matched(final PendingRecord pending, final String destinationId, final boolean fromCache) {
        return new Resolution(pending.record(), ResolveRoute.MATCHED, destinationId, fromCache, null, null);
    }

    static Resolution of(final PendingRecord pending, final ResolveRoute route, final String errorCode, final String errorMessage) {
        return new Resolution(pending.record(), route, null, false, errorCode, errorMessage);
    }
}
