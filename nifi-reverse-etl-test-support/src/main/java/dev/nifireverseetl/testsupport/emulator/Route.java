package dev.nifireverseetl.testsupport.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A method and a path pattern with {@code {variables}} (each matches one path segment), for example
 * {@code POST /crm/v3/objects/{objectType}/batch/upsert}.
 */
final class Route {

    private final String method;
    private final String pattern;
    private final String[] segments;
    private final RequestHandler handler;

    Route(final String method, final String pattern, final RequestHandler handler) {
        this.method = method;
        this.pattern = pattern;
        this.segments = split(pattern);
        this.handler = handler;
    }

    String name() {
        return method + " " + pattern;
    }

    RequestHandler handler() {
        return handler;
    }

    /**
     * @return the path variables when the request matches this route, or null
     */
    Map<String, String> match(final String requestMethod, final String path) {
        if (!method.equals(requestMethod)) {
            return null;
        }
        final String[] actual = split(path);
        if (actual.length != segments.length) {
            return null;
        }
        final Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < segments.length; i++) {
            final String expected = segments[i];
            if (expected.startsWith("{") && expected.endsWith("}")) {
                variables.put(expected.substring(1, expected.length() - 1), decode(actual[i]));
            } else if (!expected.equals(actual[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] split(final String path) {
        final String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static String decode(final String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
