package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enough SOQL for id lookups: {@code SELECT Id, Field FROM SObject [WHERE Field IN ('a','b') | WHERE Field = 'a']
 * [LIMIT n]}. Text comparisons are case-insensitive, as in SOQL. Pages hold 2000 records by default (the header
 * {@code Sforce-Query-Options: batchSize=200..2000} lowers it); {@code done:false} pages carry
 * {@code nextRecordsUrl} ({@code /services/data/vXX.X/query/01g…-2000}), served by {@code GET /query/{locator}}.
 */
final class SoqlQueries {

    private static final Pattern SELECT = Pattern.compile(
            "^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(\\w+)\\s*(?:(IN)\\s*\\((.*)\\)|=\\s*('(?:[^'\\\\]|\\\\.)*'))\\s*)?(?:\\s+LIMIT\\s+(\\d+))?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*(,|$)");
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize=(\\d+)");
    private static final int MAXIMUM_QUERY_LENGTH = 100_000;

    private final SObjectStore store;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicLong locatorSequence = new AtomicLong();

    private record Cursor(String version, List<ObjectNode> records, int pageSize) {
    }

    SoqlQueries(final SObjectStore store) {
        this.store = store;
    }

    EmulatorResponse query(final EmulatorRequest request) {
        final String soql = request.query("q");
        if (soql == null || soql.isBlank()) {
            throw SalesforceErrors.exception(400, "MALFORMED_QUERY", "A query string is required");
        }
        if (soql.length() > MAXIMUM_QUERY_LENGTH) {
            throw SalesforceErrors.exception(400, "MALFORMED_QUERY", "Query is too long: at most 100000 characters");
        }
        final Matcher matcher = SELECT.matcher(soql);
        if (!matcher.matches()) {
            throw SalesforceErrors.exception(400, "MALFORMED_QUERY", "unexpected token in query: " + soql);
        }
        final SObjectDefinition object = store.definition(matcher.group(2));
        if (object == null) {
            throw SalesforceErrors.exception(400, "INVALID_TYPE", "sObject type '" + matcher.group(2) + "' is not supported.");
        }
        final List<String> fields = new ArrayList<>();
        for (final String name : matcher.group(1).split(",")) {
            final FieldDefinition field = object.field(name.trim());
            if (field == null) {
                throw SalesforceErrors.exception(400, "INVALID_FIELD", "No such column '" + name.trim() + "' on entity '" + object.name() + "'.");
            }
            fields.add(field.name());
        }
        FieldDefinition filterField = null;
        Set<String> wanted = null;
        if (matcher.group(3) != null) {
            filterField = object.field(matcher.group(3));
            if (filterField == null) {
                throw SalesforceErrors.exception(400, "INVALID_FIELD", "No such column '" + matcher.group(3) + "' on entity '" + object.name() + "'.");
            }
            if (!filterable(filterField)) {
                throw SalesforceErrors.exception(400, "INVALID_FIELD", "field '" + filterField.name() + "' can not be filtered in a query call");
            }
            wanted = new HashSet<>();
            final String literals = matcher.group(4) != null ? matcher.group(5) : matcher.group(6);
            final Matcher literal = LITERAL.matcher(literals);
            int position = 0;
            while (position < literals.length() && literal.find(position) && literal.start() == position) {
                wanted.add(unescape(literal.group(1)).toLowerCase(Locale.ROOT));
                position = literal.end();
            }
            if (position < literals.trim().length()) {
                throw SalesforceErrors.exception(400, "MALFORMED_QUERY", "unexpected token in the value list: " + literals);
            }
        }
        final int limit = matcher.group(7) == null ? Integer.MAX_VALUE : Integer.parseInt(matcher.group(7));
        final List<ObjectNode> results = new ArrayList<>();
        for (final Map<String, Object> record : store.records(object.name())) {
            if (results.size() >= limit) {
                break;
            }
            if (filterField != null) {
                final Object value = record.get(filterField.name());
                if (value == null || !wanted.contains(value.toString().toLowerCase(Locale.ROOT))) {
                    continue;
                }
            }
            final ObjectNode row = Json.MAPPER.createObjectNode();
            row.set("attributes", Json.object("type", object.name(), "url", "/services/data/" + request.pathVariable("version") + "/sobjects/" + object.name() + "/" + record.get("Id")));
            for (final String field : fields) {
                row.set(field, Json.MAPPER.valueToTree(record.get(field)));
            }
            results.add(row);
        }
        return page(request.pathVariable("version"), results, 0, pageSize(request));
    }

    EmulatorResponse queryMore(final EmulatorRequest request) {
        final String locator = request.pathVariable("queryLocator");
        final int dash = locator.lastIndexOf('-');
        final Cursor cursor = dash < 0 ? null : cursors.get(locator.substring(0, dash));
        if (cursor == null) {
            throw SalesforceErrors.exception(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        final int offset;
        try {
            offset = Integer.parseInt(locator.substring(dash + 1));
        } catch (final NumberFormatException e) {
            throw SalesforceErrors.exception(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return pageOf(locator.substring(0, dash), cursor, offset);
    }

    private EmulatorResponse page(final String version, final List<ObjectNode> results, final int offset, final int pageSize) {
        if (results.size() <= pageSize) {
            return EmulatorResponse.json(200, body(results, results.size(), true, null));
        }
        final String locatorId = "01g5g00000" + String.format("%08d", locatorSequence.incrementAndGet());
        final Cursor cursor = new Cursor(version, results, pageSize);
        cursors.put(locatorId, cursor);
        return pageOf(locatorId, cursor, offset);
    }

    private EmulatorResponse pageOf(final String locatorId, final Cursor cursor, final int offset) {
        final int end = Math.min(cursor.records().size(), offset + cursor.pageSize());
        final boolean done = end >= cursor.records().size();
        final String next = done ? null : "/services/data/" + cursor.version() + "/query/" + locatorId + "-" + end;
        if (done) {
            cursors.remove(locatorId);
        }
        return EmulatorResponse.json(200, body(cursor.records().subList(Math.min(offset, end), end), cursor.records().size(), done, next));
    }

    private static ObjectNode body(final List<ObjectNode> records, final int totalSize, final boolean done, final String nextRecordsUrl) {
        final ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("totalSize", totalSize);
        body.put("done", done);
        if (nextRecordsUrl != null) {
            body.put("nextRecordsUrl", nextRecordsUrl);
        }
        final ArrayNode array = body.putArray("records");
        records.forEach(array::add);
        return body;
    }

    private static int pageSize(final EmulatorRequest request) {
        final String options = request.header("Sforce-Query-Options");
        if (options != null) {
            final Matcher matcher = BATCH_SIZE.matcher(options);
            if (matcher.find()) {
                return Math.max(200, Math.min(2000, Integer.parseInt(matcher.group(1))));
            }
        }
        return 2000;
    }

    /**
     * @return false for long text areas (text areas longer than 255 characters), which SOQL cannot filter on
     */
    static boolean filterable(final FieldDefinition field) {
        return !(field.type() == FieldType.TEXTAREA && field.length() > 255);
    }

    private static String unescape(final String literal) {
        final StringBuilder text = new StringBuilder(literal.length());
        for (int i = 0; i < literal.length(); i++) {
            final char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                text.append(literal.charAt(++i));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
