package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.BatchSender;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the lookup of one group of values, page after page, through the write engine's {@link BatchSender#exchange}:
 * the same shared rate budget, limit-header tracking, bounded retries with backoff and jitter, 429 waits and 401
 * credential refresh as the Put processors. Thread-safe.
 */
final class LookupSender {

    /** A destination that pages without end is cut off here (100 values never need more pages than this). */
    static final int MAX_PAGES = 100;

    private final LookupAdapter adapter;
    private final BatchSender sender;
    private final DestinationClient client;

    LookupSender(final LookupAdapter adapter, final BatchSender sender, final DestinationClient client) {
        this.adapter = adapter;
        this.sender = sender;
        this.client = client;
    }

    LookupOutcome lookup(final List<String> values) throws InterruptedException {
        final Map<String, Set<String>> ids = new HashMap<>();
        String endpoint = null;
        int requests = 0;
        try {
            HttpRequestSpec request = adapter.buildLookup(values);
            endpoint = client.resolve(request);
            while (request != null && requests < MAX_PAGES) {
                final AtomicReference<LookupPage> parsed = new AtomicReference<>();
                final BatchResult result = sender.exchange(request, response -> {
                    final LookupPage page = adapter.parseLookup(values, response);
                    if (page.failure() != null) {
                        return new BatchResult.Failed(page.failure());
                    }
                    parsed.set(page);
                    return new BatchResult.Completed(Map.of());
                });
                requests++;
                if (result instanceof BatchResult.Failed failed) {
                    return new LookupOutcome(Map.of(), failed.failure(), requests, endpoint);
                }
                final LookupPage page = parsed.get();
                page.idsByValue().forEach((value, found) -> ids.computeIfAbsent(value, ignored -> new LinkedHashSet<>()).addAll(found));
                request = page.nextPage();
            }
        } catch (final RuntimeException e) {
            final BatchFailure failure = adapter.credentialFailure(e);
            if (failure == null) {
                throw e;
            }
            return new LookupOutcome(Map.of(), failure, requests, endpoint);
        }
        return new LookupOutcome(ids, null, requests, endpoint);
    }
}
