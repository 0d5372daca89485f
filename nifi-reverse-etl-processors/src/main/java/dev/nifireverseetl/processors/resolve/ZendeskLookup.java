package dev.nifireverseetl.processors.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.zendesk.ZendeskObjectType;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Zendesk lookups (reference §3.2, §3.4): users or organizations by external_id through
 * {@code GET /api/v2/{users|organizations}/show_many?external_ids=a,b} (100 values per request), users by email through
 * {@code GET /api/v2/users/search?query=email:"ann@example.com"} (one value per request). Zendesk matches both
 * case-insensitively, so values are compared in lower case. An external_id holding a comma cannot travel in the
 * comma-separated show_many list: it is looked up alone with {@code search?external_id=}.
 */
final class ZendeskLookup implements LookupAdapter {

    static final int MAX_VALUES = 100;
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    private final DestinationAdapter writeAdapter;
    private final ZendeskObjectType objectType;
    private final boolean byEmail;

    /**
     * @param byEmail true to look users up by email, false to look up by external_id
     */
    ZendeskLookup(final DestinationAdapter writeAdapter, final ZendeskObjectType objectType, final boolean byEmail) {
        if (byEmail && objectType != ZendeskObjectType.USERS) {
            throw new IllegalArgumentException("Zendesk organizations are matched by external_id only");
        }
        this.writeAdapter = writeAdapter;
        this.objectType = objectType;
        this.byEmail = byEmail;
    }

    @Override
    public DestinationAdapter writeAdapter() {
        return writeAdapter;
    }

    @Override
    public int maxValuesPerRequest() {
        return byEmail ? 1 : MAX_VALUES;
    }

    @Override
    public String comparable(final String matchValue) {
        return matchValue.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<List<String>> requestGroups(final List<String> values, final int batchSize) {
        final List<String> listable = new ArrayList<>();
        final List<List<String>> groups = new ArrayList<>();
        for (final String value : values) {
            if (!byEmail && value.contains(",")) {
                groups.add(List.of(value));
            } else {
                listable.add(value);
            }
        }
        groups.addAll(LookupAdapter.super.requestGroups(listable, batchSize));
        return groups;
    }

    @Override
    public HttpRequestSpec buildLookup(final List<String> values) {
        final String path = "/api/v2/" + objectType.getValue();
        if (byEmail) {
            return HttpRequestSpec.get(path + "/search?query=" + encode("email:\"" + values.getFirst().trim() + "\""));
        }
        if (values.size() == 1 && values.getFirst().contains(",")) {
            return HttpRequestSpec.get(path + "/search?external_id=" + encode(values.getFirst()));
        }
        final List<String> encoded = new ArrayList<>(values.size());
        for (final String value : values) {
            encoded.add(encode(value));
        }
        return HttpRequestSpec.get(path + "/show_many?external_ids=" + String.join(",", encoded));
    }

    @Override
    public LookupPage parseLookup(final List<String> values, final HttpResponseData response) {
        if (!response.isSuccessful()) {
            final JsonNode body = readOrEmpty(response);
            final String error = body.path("error").isTextual() ? body.path("error").asText() : "HTTP_" + response.status();
            return LookupPage.failed(LookupFailures.classify("Zendesk", response, error, body.path("description").asText("")));
        }
        final JsonNode body = read(response);
        final LookupPage.Builder page = new LookupPage.Builder();
        for (final JsonNode found : body.path(objectType.getValue())) {
            final String id = found.path("id").asText(null);
            if (byEmail) {
                // the search was for exactly this address: every user it returned holds it
                page.add(comparable(values.getFirst()), id);
            } else {
                final String externalId = found.path("external_id").asText(null);
                if (externalId != null) {
                    page.add(comparable(externalId), id);
                }
            }
        }
        return page.build(null);
    }

    /**
     * @throws IllegalStateException when a successful answer cannot be read (the engine retries it as transient)
     */
    private JsonNode read(final HttpResponseData response) {
        final JsonNode body = readOrEmpty(response);
        if (!body.path(objectType.getValue()).isArray()) {
            throw new IllegalStateException("Zendesk's answer has no " + objectType.getValue() + " list");
        }
        return body;
    }

    private static JsonNode readOrEmpty(final HttpResponseData response) {
        try {
            final JsonNode node = OBJECT_MAPPER.readTree(response.body());
            return node == null ? OBJECT_MAPPER.createObjectNode() : node;
        } catch (final IOException e) {
            return OBJECT_MAPPER.createObjectNode();
        }
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
