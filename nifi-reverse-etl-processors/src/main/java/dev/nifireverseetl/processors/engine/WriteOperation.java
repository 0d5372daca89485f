package dev.nifireverseetl.processors.engine;

/**
 * What the engine asks of the destination for one record. All items of one {@link WriteBatch} share an operation, so
 * an adapter maps each operation to one endpoint.
 */
public enum WriteOperation {
    /** Create the record, or update it when the match key already exists (idempotent). */
    UPSERT,
    /** Create a new record (not idempotent: the engine never resends a create whose response was lost without saying so). */
    CREATE,
    /** Update an existing record, matched by destination id or match key; a missing record is a per-record failure. */
    UPDATE,
    /** Remove the record (archive or delete, as the destination calls it); an already missing record counts as removed. */
    REMOVE
}
