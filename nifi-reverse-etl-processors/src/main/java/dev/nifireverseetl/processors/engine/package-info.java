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
 */
package dev.nifireverseetl.processors.engine;
