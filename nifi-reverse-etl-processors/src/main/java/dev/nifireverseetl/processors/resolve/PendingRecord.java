package dev.nifireverseetl.processors.resolve;

import org.apache.nifi.serialization.record.Record;

/**
 * A record waiting for its destination id.
 *
 * @param record     the record as read
 * @param key        its {@code _retl_key} (the id cache is keyed by it), or null
 * @param matchValue the value of the Match Field, or null when the record has none
 * @param knownId    a non-blank {@code _retl_destination_id} the record already carries, or null
 */
record PendingRecord(Record record, String key, String matchValue, String knownId) {
}
