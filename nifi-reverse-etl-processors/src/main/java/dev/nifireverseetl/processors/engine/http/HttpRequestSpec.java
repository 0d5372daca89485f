package dev.nifireverseetl.processors.engine.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request an adapter wants sent. The engine adds the credential ({@code Authorization}) and sends it with the
 * processor's HTTP client. Headers here must never hold a secret (they are shown in dry-run output).
 *
 * @param method      HTTP method
 * @param url         an absolute URL, or a path (with query) relative to the processor's base URL, for example
 *                    {@code /crm/v3/objects/contacts/batch/upsert}
 * @param headers     extra headers (for example {@code Accept}); may be empty
 * @param contentType the body's media type, or null without a body
 * @param body        the body, or null without a body
 */
public record HttpRequestSpec(String method, String url, Map<String, String> headers, String contentType, byte[] body) {

    public HttpRequestSpec {
        if (method == null || url == null) {
            throw new IllegalArgumentException("A request needs a method and a URL");
        }
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static HttpRequestSpec json(final String method, final String url, final String jsonBody) {
        return new HttpRequestSpec(method, url, Map.of("Accept", "application/json"), "application/json", jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpRequestSpec get(final String url) {
        return new HttpRequestSpec("GET", url, Map.of("Accept", "application/json"), null, null);
    }

    /**
     * @return the body as UTF-8 text, or an empty string without a body
     */
    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Shows method and URL only (bodies may hold personal data).
     */
    @Override
    public String toString() {
        return method + " " + url;
    }
}
