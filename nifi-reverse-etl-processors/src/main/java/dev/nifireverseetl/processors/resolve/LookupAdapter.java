package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.util.ArrayList;
import java.util.List;

/**
 * What one destination contributes to ResolveExternalIds: the lookup request for a group of match values and the
 * parsing of its answer. Sending, the shared rate budget, retries, 429 waits and credential refresh are the write
 * engine's ({@link dev.nifireverseetl.processors.engine.BatchSender#exchange}). Immutable and thread-safe; no I/O.
 */
public interface LookupAdapter {

    /**
     * @return the destination's write adapter: names the destination and reads its rate-limit headers, so lookups are
     * charged to the same budget as the Put processor's writes
     */
    DestinationAdapter writeAdapter();

    /**
     * @return the most values one lookup request may carry
     */
    int maxValuesPerRequest();

    /**
     * @return the form in which a record's match value and a destination's value are compared (for example lower case
     * where the destination matches case-insensitively)
     */
    String comparable(String matchValue);

    /**
     * Splits distinct match values into the groups sent in one request each (at most {@link #maxValuesPerRequest()}).
     */
    default List<List<String>> requestGroups(final List<String> values, final int batchSize) {
        final int size = Math.max(1, Math.min(batchSize, maxValuesPerRequest()));
        final List<List<String>> groups = new ArrayList<>();
        for (int start = 0; start < values.size(); start += size) {
            groups.add(List.copyOf(values.subList(start, Math.min(values.size(), start + size))));
        }
        return groups;
    }

    /**
     * @param values match values as read from the records (distinct by {@link #comparable})
     */
    HttpRequestSpec buildLookup(List<String> values);

    /**
     * Interprets the answer to {@link #buildLookup} or to a {@link LookupPage#nextPage()} request.
     */
    LookupPage parseLookup(List<String> values, HttpResponseData response);

    /**
     * Turns an exception of the credential (thrown while a lookup is built or sent, for example a token endpoint that
     * refuses) into the failure of that lookup.
     *
     * @return the failure, or null when the exception is not the credential's (it is then rethrown)
     */
    default BatchFailure credentialFailure(final RuntimeException exception) {
        return null;
    }
}
