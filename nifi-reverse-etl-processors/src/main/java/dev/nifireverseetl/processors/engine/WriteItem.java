package dev.nifireverseetl.processors.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record as the destination adapter sees it: already mapped, converted and filtered by the engine.
 *
 * @param itemId        unique within the FlowFile being written; adapters may send it to the destination as a
 *                      correlation id (HubSpot {@code objectWriteTraceId}) and must use it to key their outcomes
 * @param matchKey      the value of the destination's match key (HubSpot idProperty value, Salesforce external id,
 *                      Zendesk external_id); never null
 * @param destinationId the destination record id when known (from the sync state or {@code _retl_destination_id}), or null
 * @param operation     what to do with the record
 * @param fields        destination field name to converted value, in record order (may be empty, never holds a
 *                      {@code _retl_} field); for {@link WriteOperation#REMOVE} usually empty
 */
public record WriteItem(String itemId, String matchKey, String destinationId, WriteOperation operation, Map<String, Object> fields) {

    public WriteItem {
        if (itemId == null || matchKey == null || operation == null) {
            throw new IllegalArgumentException("A write item needs an item id, a match key and an operation");
        }
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * @return a copy of this item with another operation (for example an upsert that must become a create)
     */
    public WriteItem withOperation(final WriteOperation newOperation) {
        return new WriteItem(itemId, matchKey, destinationId, newOperation, fields);
    }

    /**
     * @return a copy of this item with other fields (for example without the fields that are not empty at the destination)
     */
    public WriteItem withFields(final Map<String, Object> newFields) {
        return new WriteItem(itemId, matchKey, destinationId, operation, newFields);
    }

    /**
     * Never shows field values (they may hold personal data).
     */
    @Override
    public String toString() {
        return "WriteItem[" + itemId + ", " + operation + ", " + fields.size() + " fields]";
    }
}
