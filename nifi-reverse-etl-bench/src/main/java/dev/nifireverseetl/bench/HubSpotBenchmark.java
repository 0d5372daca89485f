package dev.nifireverseetl.bench;

import dev.nifireverseetl.processors.engine.EngineRecord;
import dev.nifireverseetl.processors.engine.EngineSettings;
import dev.nifireverseetl.processors.engine.JobSummary;
import dev.nifireverseetl.processors.engine.OutcomeRoute;
import dev.nifireverseetl.processors.engine.OutcomeSink;
import dev.nifireverseetl.processors.engine.RecordOutcome;
import dev.nifireverseetl.processors.engine.RemovalMode;
import dev.nifireverseetl.processors.engine.RetryPolicy;
import dev.nifireverseetl.processors.engine.SyncInfo;
import dev.nifireverseetl.processors.engine.SyncMode;
import dev.nifireverseetl.processors.engine.WriteEngine;
import dev.nifireverseetl.processors.engine.WriteJob;
import dev.nifireverseetl.processors.engine.auth.BearerTokenCredential;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpClientFactory;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudget;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;
import dev.nifireverseetl.processors.hubspot.HubSpotAdapter;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import okhttp3.OkHttpClient;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PutHubSpot's write engine against the HubSpot emulator at a Professional limit (190 requests / 10 s) and 150 ms
 * latency: how close the sustained rate comes to the ceiling (limit × 100 records per request), the share of requests
 * answered 429, and records lost. Drives the engine directly (the processor's core) so no content is buffered in heap.
 * Metrics: hubspot.utilization (sustained records/s after the first window ÷ ceiling), hubspot.http_429_share,
 * hubspot.lost, hubspot.records_per_request, hubspot.records_per_s.
 */
public final class HubSpotBenchmark implements Benchmark {

    private static final String TOKEN = "pat-na1-bench";
    private static final int LIMIT_PER_TEN_SECONDS = 190;
    private static final long WINDOW_MILLIS = 10_000;
    private static final int IN_FLIGHT = 8;
    private static final SimpleRecordSchema EMPTY_SCHEMA = new SimpleRecordSchema(List.of());

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public void run(final BenchContext context) throws Exception {
        final double ceilingPerSecond = LIMIT_PER_TEN_SECONDS * 100.0 / (WINDOW_MILLIS / 1000.0);
        final long seconds = context.quick() ? 25 : 90;
        final long records = (long) (ceilingPerSecond * seconds);
        try (HubSpotEmulator emulator = new HubSpotEmulator().token(TOKEN).start()) {
            emulator.rateLimit(LIMIT_PER_TEN_SECONDS, 10_000_000);
            emulator.server().latency(150, 0);
            final OkHttpClient httpClient = HttpClientFactory.create(null, null, Duration.ofSeconds(10), Duration.ofSeconds(30), IN_FLIGHT);
            final ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT);
            try {
                final EngineSettings settings = new EngineSettings(SyncMode.UPSERT, RemovalMode.REMOVE, true, Map.of(), false, IN_FLIGHT,
                        new RetryPolicy(5, 500, 30_000), 20, 120_000);
                final RateBudget budget = new RateBudget(new RateLimitPolicy(LIMIT_PER_TEN_SECONDS, WINDOW_MILLIS, 0));
                final WriteEngine engine = new WriteEngine(new HubSpotAdapter("/crm/v3/objects", "contacts", "email"),
                        new DestinationClient(httpClient, emulator.baseUrl(), new BearerTokenCredential(TOKEN)), budget, settings, threads);
                final CountingSink sink = new CountingSink();
                context.progress(String.format("  sending %,d records (ceiling %,.0f records/s)", records, ceilingPerSecond));
                final long started = System.currentTimeMillis();
                sink.started = started;
                final WriteJob job = engine.start(null, null, sink);
                for (long i = 0; i < records; i++) {
                    final Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("email", "customer" + i + "@example.com");
                    fields.put("firstname", "First" + (i % 9973));
                    fields.put("lastname", "Last" + (i % 7919));
                    fields.put("score", String.valueOf(i % 1000));
                    job.add(new EngineRecord(i, new MapRecord(EMPTY_SCHEMA, Map.of()), SyncInfo.NONE, "customer" + i + "@example.com", fields));
                }
                final JobSummary summary = job.finish();
                final long finished = System.currentTimeMillis();
                final double sustained = sink.inSteadyWindows(finished);
                final long requests = emulator.server().metrics().requests();
                final long refused = emulator.server().metrics().status(429);
                final long stored = emulator.store("contacts").liveCount();
                context.metric("hubspot.records_per_s", records / ((finished - started) / 1000.0));
                context.metric("hubspot.utilization", sustained / ceilingPerSecond);
                context.metric("hubspot.http_429_share", requests == 0 ? 0 : (double) refused / requests);
                context.metric("hubspot.lost", records - Math.min(stored, summary.count(OutcomeRoute.SUCCESS)));
                context.metric("hubspot.records_per_request", (double) summary.count(OutcomeRoute.SUCCESS) / Math.max(1, summary.requests()));
                context.note("hubspot", String.format("%,d records, %d requests/10 s, 150 ms latency, %d in flight; sustained rate measured over "
                        + "the whole 10 s windows after the first; %d requests, %d answered 429, %,d records stored", records, LIMIT_PER_TEN_SECONDS, IN_FLIGHT, requests, refused, stored));
            } finally {
                threads.shutdownNow();
                HttpClientFactory.close(httpClient);
            }
        }
    }

    /**
     * Remembers when each success completed, per second, to measure the sustained rate over whole windows after the first
     * (the first window is a burst: a rolling window starts full).
     */
    private static final class CountingSink implements OutcomeSink {
        private final Map<Long, AtomicLong> bySecond = new ConcurrentHashMap<>();
        private volatile long started;

        @Override
        public void accept(final RecordOutcome outcome) {
            if (outcome.route() == OutcomeRoute.SUCCESS) {
                bySecond.computeIfAbsent((System.currentTimeMillis() - started) / 1000, ignored -> new AtomicLong()).incrementAndGet();
            }
        }

        /**
         * @return records per second completed in the whole windows between the end of the first window and the end
         */
        double inSteadyWindows(final long finished) {
            final long windowSeconds = WINDOW_MILLIS / 1000;
            final long windows = Math.max(1, ((finished - started) / 1000 - windowSeconds) / windowSeconds);
            long count = 0;
            for (long second = windowSeconds; second < windowSeconds + windows * windowSeconds; second++) {
                final AtomicLong completed = bySecond.get(second);
                count += completed == null ? 0 : completed.get();
            }
            return (double) count / (windows * windowSeconds);
        }

        @Override
        public void dryRunRequest(final String resolvedUrl, final HttpRequestSpec request, final int itemCount) {
            throw new IllegalStateException("not a dry run");
        }
    }
}
