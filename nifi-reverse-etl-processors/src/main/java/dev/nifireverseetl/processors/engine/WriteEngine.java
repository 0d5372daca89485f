package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudget;
import dev.nifireverseetl.state.SyncStateService;

import java.util.concurrent.ExecutorService;

/**
 * The shared destination write engine: one per scheduled Put processor. It holds what does not change between
 * FlowFiles (adapter, client, the account's rate budget, settings, the request threads); each FlowFile is written by
 * a {@link WriteJob}. Thread-safe: concurrent tasks of the processor run their own jobs on the shared request threads.
 * <p>
 * Memory: a job holds at most one collecting batch per operation plus {@link EngineSettings#maxConcurrentRequests()}
 * batches in flight; records are streamed in and outcomes streamed out.
 */
public final class WriteEngine {

    private final DestinationAdapter adapter;
    private final DestinationClient client;
    private final RateBudget budget;
    private final EngineSettings settings;
    private final ExecutorService requestThreads;
    private final BatchSender sender;

    /**
     * @param requestThreads runs batches; sized at least {@link EngineSettings#maxConcurrentRequests()} × concurrent tasks
     */
    public WriteEngine(final DestinationAdapter adapter, final DestinationClient client, final RateBudget budget, final EngineSettings settings,
                       final ExecutorService requestThreads) {
        this.adapter = adapter;
        this.client = client;
        this.budget = budget;
        this.settings = settings;
        this.requestThreads = requestThreads;
        this.sender = new BatchSender(adapter, client, budget, settings);
    }

    /**
     * Starts writing one FlowFile's records.
     *
     * @param stateService the sync state, or null without one
     * @param syncId       the sync id (required with a state service)
     * @param sink         receives outcomes on the calling thread
     */
    public WriteJob start(final SyncStateService stateService, final String syncId, final OutcomeSink sink) {
        return new WriteJob(this, stateService, syncId, sink);
    }

    public DestinationAdapter adapter() {
        return adapter;
    }

    public DestinationClient client() {
        return client;
    }

    public RateBudget budget() {
        return budget;
    }

    public EngineSettings settings() {
        return settings;
    }

    ExecutorService requestThreads() {
        return requestThreads;
    }

    BatchSender sender() {
        return sender;
    }
}
