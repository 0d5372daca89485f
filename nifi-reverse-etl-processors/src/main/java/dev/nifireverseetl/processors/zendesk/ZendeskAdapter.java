package dev.nifireverseetl.processors.zendesk;

import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.InvalidValueException;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

/**
 * The Zendesk Support API v2 adapter of the write engine: users through {@code create_or_update_many} /
 * {@code create_many} / {@code update_many} / {@code destroy_many}, organizations through {@code create_many} and
 * {@code update_many} after a {@code show_many} lookup by external_id, every bulk request tracked through its job
 * ({@link ZendeskExchange}). Immutable and thread-safe (the poll schedule it shares is thread-safe).
 */
public final class ZendeskAdapter implements DestinationAdapter {

    /** Zendesk's limit for every bulk endpoint used here (reference §3.2). */
    public static final int MAX_BATCH_SIZE = 100;

    private final ZendeskSettings settings;

    public ZendeskAdapter(final ZendeskSettings settings) {
        this.settings = settings;
    }

    @Override
    public String destinationName() {
        return "Zendesk";
    }

    @Override
    public int maxBatchSize(final WriteOperation operation) {
        return MAX_BATCH_SIZE;
    }

    /**
     * Organizations cannot be removed by this processor (removal of organizations would orphan their users and tickets).
     */
    @Override
    public boolean supports(final WriteOperation operation) {
        return settings.users() || operation != WriteOperation.REMOVE;
    }

    @Override
    public Object convertValue(final String destinationField, final Object value) throws InvalidValueException {
        try {
            return ZendeskValues.toJson(destinationField, value);
        } catch (final IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    @Override
    public HttpRequestSpec buildRequest(final WriteBatch batch) {
        return new ZendeskExchange(settings, batch).nextRequest();
    }

    @Override
    public BatchResult parseResponse(final WriteBatch batch, final HttpResponseData response) {
        return new ZendeskExchange(settings, batch).onResponse(response);
    }

    @Override
    public RateLimitFeedback readRateLimits(final HttpResponseData response) {
        return ZendeskFailures.rateLimits(response);
    }
}
