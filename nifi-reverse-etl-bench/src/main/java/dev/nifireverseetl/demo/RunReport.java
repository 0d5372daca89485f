package dev.nifireverseetl.demo;

/**
 * What one sync run did, as counted by the processors (DiffRecords, HashPII, PutHubSpot) and, when the destination is
 * the emulator, by the destination itself.
 *
 * @param snapshotRows        rows the model query returned
 * @param added               rows DiffRecords routed to added
 * @param changed             rows DiffRecords routed to changed
 * @param removed             removal records DiffRecords emitted
 * @param unchanged           rows DiffRecords found equal to the last accepted version (not sent)
 * @param invalid             rows DiffRecords rejected (null or duplicate keys)
 * @param hashFailures        records HashPII routed to failure
 * @param succeeded           records PutHubSpot routed to success
 * @param failed              records PutHubSpot routed to failure (HubSpot rejected them)
 * @param retried             records still on retry after the demo's retry rounds
 * @param superseded          records PutHubSpot did not send because a newer version exists
 * @param requests            requests PutHubSpot reports it sent (retl.request.count)
 * @param destinationRequests requests the emulator received, or -1 for a real HubSpot account
 * @param destinationRecords  records the emulator received in batch bodies, or -1 for a real HubSpot account
 * @param millis              the run's duration
 */
record RunReport(long snapshotRows, long added, long changed, long removed, long unchanged, long invalid, long hashFailures, long succeeded,
                 long failed, long retried, long superseded, long requests, long destinationRequests, long destinationRecords, long millis) {

    /**
     * @return records handed to PutHubSpot in this run
     */
    long recordsToDestination() {
        return succeeded + failed + retried + superseded;
    }
}
