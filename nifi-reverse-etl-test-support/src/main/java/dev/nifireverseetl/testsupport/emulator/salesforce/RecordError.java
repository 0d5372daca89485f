package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.List;

/**
 * One error of one record, as Salesforce reports it in a SaveResult ({@code {statusCode, message, fields}}) and in a
 * Bulk API 2.0 {@code sf__Error} cell ({@code STATUS_CODE:message:field1,field2 --}).
 */
public record RecordError(String statusCode, String message, List<String> fields) {

    public RecordError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static RecordError of(final String statusCode, final String message, final String... fields) {
        return new RecordError(statusCode, message, List.of(fields));
    }

    ObjectNode toJson() {
        final ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("statusCode", statusCode);
        node.put("message", message);
        final ArrayNode fieldArray = node.putArray("fields");
        fields.forEach(fieldArray::add);
        return node;
    }

    String toBulkCell() {
        return statusCode + ":" + message + ":" + String.join(",", fields) + " --";
    }

    /**
     * Thrown while a record is validated or written; carries the record's error (no stack trace: it is an outcome).
     */
    static final class Rejected extends RuntimeException {

        private final RecordError error;

        Rejected(final RecordError error) {
            super(error.statusCode(), null, false, false);
            this.error = error;
        }

        RecordError error() {
            return error;
        }
    }
}
