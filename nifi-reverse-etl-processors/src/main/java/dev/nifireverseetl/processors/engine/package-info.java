/**
 * The shared destination write engine of PutHubSpot, PutSalesforce and PutZendesk.
 * <p>
 * Adding a destination means: a {@link dev.nifireverseetl.processors.engine.DestinationAdapter} (endpoints, payloads,
 * value conversion, response parsing, limit headers, optional current-value reads and
 * {@link dev.nifireverseetl.processors.engine.AsyncContinuation} for job polling or multi-step writes), a processor
 * extending {@link dev.nifireverseetl.processors.engine.AbstractPutDestination} (its own properties, a
 * {@link dev.nifireverseetl.processors.engine.DestinationSetup} with adapter, credential, base URL and plan limits, and
 * optional verification steps), an emulator and tests.
 * <p>
 * The engine does the rest, once: streaming records ({@link dev.nifireverseetl.processors.engine.RecordPreparer}),
 * batching and de-duplication ({@link dev.nifireverseetl.processors.engine.WriteJob}), concurrent requests, sync-state
 * checks and bookkeeping ({@code BatchTask}), the shared per-account rate budget
 * ({@link dev.nifireverseetl.processors.engine.ratelimit.RateBudgetRegistry}), retries with backoff and jitter, 401
 * refresh, bisection ({@link dev.nifireverseetl.processors.engine.BatchSender}), routing, dry run, provenance and
 * counters ({@link dev.nifireverseetl.processors.engine.OutcomeRouter}).
 * <p>
 * Rate limits on a NiFi cluster: the configured limit is the account's. Each node keeps one
 * {@link dev.nifireverseetl.processors.engine.ratelimit.RateBudget} per account and takes its share, the limit divided by
 * the connected nodes ({@link dev.nifireverseetl.processors.engine.ratelimit.ClusterShare}, from NiFi's
 * {@code NodeTypeProvider}, re-read every 10 seconds; property "Rate Limit Scope"). The destination's remaining-count
 * headers are account-wide, so every node charges what other clients sent beyond their shares. A request in flight holds
 * its token until its response, and the token comes back one window (plus a safety margin) after that response, so the
 * destination never counts more than the limit in any window, however the arrival times fall.
 */
package dev.nifireverseetl.processors.engine;
