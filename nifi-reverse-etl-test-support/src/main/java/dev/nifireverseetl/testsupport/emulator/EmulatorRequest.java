package dev.nifireverseetl.testsupport.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request as a destination emulator sees it: method, path, query, headers, body, and the path variables of the
 * route that matched.
 */
public final class EmulatorRequest {

    private final String method;
    private final HttpUrl url;
    private final Headers headers;
    private final byte[] body;
    private final Map<String, String> pathVariables;
    private final long receivedAtMillis;

    EmulatorRequest(final RecordedRequest recorded, final Map<String, String> pathVariables, final long receivedAtMillis) {
        this(recorded.getMethod(), recorded.getUrl(), recorded.getHeaders(), recorded.getBody() == null ? new byte[0] : recorded.getBody().toByteArray(),
                pathVariables, receivedAtMillis);
    }

    EmulatorRequest(final String method, final HttpUrl url, final Headers headers, final byte[] body, final Map<String, String> pathVariables,
                    final long receivedAtMillis) {
        this.method = method;
        this.url = url;
        this.headers = headers;
        this.body = body;
        this.pathVariables = Map.copyOf(pathVariables);
        this.receivedAtMillis = receivedAtMillis;
    }

    EmulatorRequest withPathVariables(final Map<String, String> variables) {
        return new EmulatorRequest(method, url, headers, body, variables, receivedAtMillis);
    }

    public String method() {
        return method;
    }

    public String path() {
        return url.encodedPath();
    }

    public HttpUrl url() {
        return url;
    }

    public String query(final String name) {
        return url.queryParameter(name);
    }

    public List<String> queryValues(final String name) {
        return url.queryParameterValues(name);
    }

    public String header(final String name) {
        return headers.get(name);
    }

    public Headers headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * @return the body parsed as JSON
     * @throws EmulatorException with a 400 response when the body is not JSON
     */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (final Exception e) {
            throw new EmulatorException(EmulatorResponse.json(400, Json.object("message", "Invalid JSON body")));
        }
    }

    /**
     * @return the variable of the route path, for example {@code objectType} in {@code /crm/v3/objects/{objectType}/batch/upsert}
     */
    public String pathVariable(final String name) {
        return pathVariables.get(name);
    }

    /**
     * @return the bearer token of the Authorization header, or null
     */
    public String bearerToken() {
        final String authorization = header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    public long receivedAtMillis() {
        return receivedAtMillis;
    }
}
