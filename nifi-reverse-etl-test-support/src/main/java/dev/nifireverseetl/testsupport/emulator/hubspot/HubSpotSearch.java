package dev.nifireverseetl.testsupport.emulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorException;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CRM search (destinations.md §1.3.4): filter groups ORed, filters ANDed (EQ, NEQ, IN, NOT_IN, HAS_PROPERTY,
 * NOT_HAS_PROPERTY), limit ≤ 200, paging with {@code after}, at most 10,000 results, ≤ 5 groups, ≤ 10 filters per
 * group, ≤ 25 filters in total.
 */
final class HubSpotSearch {

    private static final int MAX_LIMIT = 200;
    private static final int MAX_TOTAL = 10_000;

    private HubSpotSearch() {
    }

    static EmulatorResponse search(final ObjectStore store, final JsonNode body) {
        final JsonNode groups = body.path("filterGroups");
        int filters = 0;
        for (final JsonNode group : groups) {
            filters += group.path("filters").size();
            if (group.path("filters").size() > 10) {
                throw new EmulatorException(HubSpotEmulator.error(400, "VALIDATION_ERROR", "Too many filters in a filter group (maximum 10)", List.of()));
            }
        }
        if (groups.size() > 5 || filters > 25) {
            throw new EmulatorException(HubSpotEmulator.error(400, "VALIDATION_ERROR", "Too many filter groups (maximum 5) or filters (maximum 25)", List.of()));
        }
        final int limit = body.path("limit").asInt(10);
        if (limit > MAX_LIMIT) {
            throw new EmulatorException(HubSpotEmulator.error(400, "VALIDATION_ERROR", "limit must be at most " + MAX_LIMIT, List.of()));
        }
        final int after = Integer.parseInt(body.path("after").asText("0"));
        if (after >= MAX_TOTAL) {
            throw new EmulatorException(HubSpotEmulator.error(400, "VALIDATION_ERROR", "Paging beyond " + MAX_TOTAL + " results is not supported", List.of()));
        }
        final Set<String> wanted = new HashSet<>();
        body.path("properties").forEach(name -> wanted.add(name.asText()));
        final List<ObjectStore.StoredObject> matches = new ArrayList<>();
        synchronized (store) {
            for (final ObjectStore.StoredObject object : store.liveObjects()) {
                if (groups.isEmpty() || anyGroupMatches(groups, object.snapshot())) {
                    matches.add(object);
                }
            }
        }
        final ObjectNode response = Json.object("total", Math.min(matches.size(), MAX_TOTAL));
        final ArrayNode results = response.putArray("results");
        final int end = Math.min(Math.min(matches.size(), MAX_TOTAL), after + limit);
        for (int i = after; i < end; i++) {
            final ObjectStore.StoredObject object = matches.get(i);
            final ObjectNode result = results.addObject();
            result.put("id", object.id());
            final ObjectNode properties = result.putObject("properties");
            final Map<String, String> snapshot = object.snapshot();
            properties.put("hs_object_id", object.id());
            for (final String name : wanted) {
                properties.put(name, snapshot.get(name));
            }
            result.put("createdAt", HubSpotEmulator.iso(object.createdAt));
            result.put("updatedAt", HubSpotEmulator.iso(object.updatedAt));
            result.put("archived", false);
        }
        if (end < Math.min(matches.size(), MAX_TOTAL)) {
            response.putObject("paging").putObject("next").put("after", String.valueOf(end));
        }
        return EmulatorResponse.json(200, response);
    }

    private static boolean anyGroupMatches(final JsonNode groups, final Map<String, String> properties) {
        for (final JsonNode group : groups) {
            boolean all = true;
            for (final JsonNode filter : group.path("filters")) {
                if (!matches(filter, properties)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(final JsonNode filter, final Map<String, String> properties) {
        final String value = properties.get(filter.path("propertyName").asText());
        final String operator = filter.path("operator").asText();
        final Set<String> values = new HashSet<>();
        filter.path("values").forEach(item -> values.add(item.asText().toLowerCase()));
        final String expected = filter.path("value").asText("").toLowerCase();
        final String actual = value == null ? null : value.toLowerCase();
        return switch (operator) {
            case "EQ" -> expected.equals(actual);
            case "NEQ" -> !expected.equals(actual);
            case "IN" -> actual != null && values.contains(actual);
            case "NOT_IN" -> actual == null || !values.contains(actual);
            case "HAS_PROPERTY" -> actual != null;
            case "NOT_HAS_PROPERTY" -> actual == null;
            default -> throw new EmulatorException(HubSpotEmulator.error(400, "VALIDATION_ERROR", "Operator " + operator + " is not supported by the emulator", List.of()));
        };
    }
}
