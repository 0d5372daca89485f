package dev.nifireverseetl.processors.engine.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A response the engine received, fully read (destination responses are bounded by the batch size).
 *
 * @param status     HTTP status
 * @param headers    response headers, names matched case-insensitively by {@link #header(String)}
 * @param body       the body bytes (empty when there was none)
 * @param receivedAt epoch millis when the response arrived
 */
public record HttpResponseData(int status, Map<String, List<String>> headers, byte[] body, long receivedAt) {

    public HttpResponseData {
        final Map<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            for (final Map.Entry<String, List<String>> entry : headers.entrySet()) {
                caseInsensitive.put(entry.getKey().toLowerCase(Locale.ROOT), List.copyOf(entry.getValue()));
            }
        }
        headers = Collections.unmodifiableMap(caseInsensitive);
        body = body == null ? new byte[0] : body;
    }

    /**
     * @return the first value of the header, or null
     */
    public String header(final String name) {
        final List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return "HTTP " + status;
    }
}
