package dev.nifireverseetl.testsupport.emulator.salesforce;

/**
 * How an emulated Bulk API 2.0 ingest job ends once its upload is complete.
 */
public enum BulkJobFate {
    /** UploadComplete → InProgress → JobComplete (or Failed when its data is invalid), after the configured delays. */
    COMPLETE,
    /**
     * UploadComplete → InProgress, forever: no row is written and no result appears until the job is aborted
     * ({@code PATCH {"state":"Aborted"}}), as when Salesforce's queue is stuck.
     */
    NEVER_COMPLETE
}
