package dev.nifireverseetl.testsupport.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import mockwebserver3.MockResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response of a destination emulator: status, headers and body. Immutable; {@code withHeader} returns a copy.
 */
public final class EmulatorResponse {

    private final int status;
    private final Map<String, String> headers;
    private final String body;

    private EmulatorResponse(final int status, final Map<String, String> headers, final String body) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    public static EmulatorResponse json(final int status, final JsonNode body) {
        return new EmulatorResponse(status, Map.of("Content-Type", "application/json;charset=UTF-8"), body == null ? "" : body.toString());
    }

    public static EmulatorResponse text(final int status, final String contentType, final String body) {
        return new EmulatorResponse(status, Map.of("Content-Type", contentType), body);
    }

    public static EmulatorResponse empty(final int status) {
        return new EmulatorResponse(status, Map.of(), "");
    }

    public EmulatorResponse withHeader(final String name, final String value) {
        final Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new EmulatorResponse(status, copy, body);
    }

    public EmulatorResponse withHeaders(final Map<String, String> extra) {
        final Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.putAll(extra);
        return new EmulatorResponse(status, copy, body);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String body() {
        return body;
    }

    MockResponse.Builder toMockResponse() {
        final MockResponse.Builder builder = new MockResponse.Builder().code(status);
        for (final Map.Entry<String, String> header : headers.entrySet()) {
            builder.setHeader(header.getKey(), header.getValue());
        }
        if (!body.isEmpty()) {
            builder.body(body);
        }
        return builder;
    }
}
