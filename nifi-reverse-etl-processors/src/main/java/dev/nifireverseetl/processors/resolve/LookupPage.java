package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One answer to a lookup request: destination ids per comparable match value, and the request for the next page when
 * the destination pages its answer; or the failure of the whole request.
 *
 * @param idsByValue ids found per {@link LookupAdapter#comparable} value (values without a record are absent)
 * @param nextPage   the request for the next page, or null
 * @param failure    the failure of the whole request, or null
 */
public record LookupPage(Map<String, Set<String>> idsByValue, HttpRequestSpec nextPage, BatchFailure failure) {

    public LookupPage {
        final Map<String, Set<String>> copy = new HashMap<>();
        if (idsByValue != null) {
            idsByValue.forEach((value, ids) -> copy.put(value, Set.copyOf(ids)));
        }
        idsByValue = Map.copyOf(copy);
    }

    public static LookupPage failed(final BatchFailure failure) {
        return new LookupPage(Map.of(), null, failure);
    }

    /**
     * Collects ids of one page.
     */
    public static final class Builder {
        private final Map<String, Set<String>> ids = new HashMap<>();

        public Builder add(final String comparableValue, final String destinationId) {
            if (comparableValue != null && destinationId != null && !destinationId.isBlank()) {
                ids.computeIfAbsent(comparableValue, ignored -> new LinkedHashSet<>()).add(destinationId);
            }
            return this;
        }

        public LookupPage build(final HttpRequestSpec nextPage) {
            return new LookupPage(ids, nextPage, null);
        }
    }
}
