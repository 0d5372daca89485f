package dev.nifireverseetl.processors.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field ownership "if empty": reads the current values of those fields (one read request per batch, through the rate
 * budget) and drops every field whose destination value is not empty. Records missing at the destination keep all
 * their fields. When the read fails, the records go to retry (writing blindly could overwrite another writer's value).
 */
final class CurrentValueFilter {

    private final WriteEngine engine;
    private final Map<String, Set<String>> ifEmptyFieldsByItem;

    CurrentValueFilter(final WriteEngine engine, final Map<String, Set<String>> ifEmptyFieldsByItem) {
        this.engine = engine;
        this.ifEmptyFieldsByItem = ifEmptyFieldsByItem;
    }

    List<WriteItem> apply(final List<WriteItem> items, final Map<String, EngineRecord> records, final List<RecordOutcome> outcomes) throws InterruptedException {
        final DestinationAdapter adapter = engine.adapter();
        final List<WriteItem> toRead = new ArrayList<>();
        final Set<String> fields = new LinkedHashSet<>();
        for (final WriteItem item : items) {
            final Set<String> itemFields = ifEmptyFieldsByItem.get(item.itemId());
            if (itemFields != null) {
                toRead.add(item);
                fields.addAll(itemFields);
            }
        }
        if (!adapter.supportsCurrentValueReads()) {
            return dropAll(items);
        }
        final Map<String, Map<String, String>> current = new HashMap<>();
        final BatchResult result = engine.sender().exchange(adapter.buildCurrentValuesRequest(toRead, fields), response -> {
            try {
                current.clear();
                current.putAll(adapter.parseCurrentValues(toRead, response));
                return BatchResult.completed(Map.of());
            } catch (final DestinationAdapter.CurrentValuesFailure e) {
                return BatchResult.failed(e.failure());
            }
        });
        if (result instanceof BatchResult.Failed failed) {
            final List<WriteItem> remaining = new ArrayList<>();
            for (final WriteItem item : items) {
                if (ifEmptyFieldsByItem.containsKey(item.itemId())) {
                    outcomes.add(RecordOutcome.of(records.get(item.itemId()), OutcomeRoute.RETRY, failed.failure().code(),
                            "Reading the current values for the \"if empty\" fields failed: " + failed.failure().message()));
                } else {
                    remaining.add(item);
                }
            }
            return remaining;
        }
        final List<WriteItem> filtered = new ArrayList<>();
        for (final WriteItem item : items) {
            final Set<String> itemFields = ifEmptyFieldsByItem.get(item.itemId());
            final Map<String, String> values = current.get(item.itemId());
            if (itemFields == null || values == null) {
                filtered.add(item);
                continue;
            }
            final Map<String, Object> kept = new LinkedHashMap<>();
            for (final Map.Entry<String, Object> field : item.fields().entrySet()) {
                final String currentValue = values.get(field.getKey());
                if (itemFields.contains(field.getKey()) && currentValue != null && !currentValue.isEmpty()) {
                    continue;
                }
                kept.put(field.getKey(), field.getValue());
            }
            filtered.add(item.withFields(kept));
        }
        return filtered;
    }

    /**
     * Without a way to read, "if empty" fields are never written to records that may exist.
     */
    private List<WriteItem> dropAll(final List<WriteItem> items) {
        final List<WriteItem> filtered = new ArrayList<>();
        for (final WriteItem item : items) {
            final Set<String> itemFields = ifEmptyFieldsByItem.get(item.itemId());
            if (itemFields == null) {
                filtered.add(item);
                continue;
            }
            final Map<String, Object> kept = new LinkedHashMap<>(item.fields());
            kept.keySet().removeAll(itemFields);
            filtered.add(item.withFields(kept));
        }
        return filtered;
    }
}
