package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The emulated org's data: sObject definitions, records, and an index per unique / External ID field. Writes run in a
 * {@link Transaction} that holds the store's lock and can be rolled back (allOrNone). Validation follows Salesforce:
 * unknown fields, read-only fields, types, lengths, e-mail format, restricted picklists, required fields, unique values,
 * references by id or by external id.
 */
public final class SObjectStore {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SObjectDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> records = new HashMap<>();
    private final Map<String, String> typeById = new HashMap<>();
    private final Set<String> deletedIds = new HashSet<>();
    private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();
    private final SalesforceIds ids = new SalesforceIds();
    private final LongSupplier clock;

    SObjectStore(final LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Adds or replaces an sObject definition (existing records are kept; indexes are rebuilt).
     */
    public void define(final SObjectDefinition definition) {
        lock.lock();
        try {
            definitions.put(definition.name().toLowerCase(Locale.ROOT), definition);
            for (final FieldDefinition field : definition.uniqueFields()) {
                final Map<String, Set<String>> index = new HashMap<>();
                indexes.put(indexName(definition, field), index);
                for (final Map.Entry<String, String> entry : typeById.entrySet()) {
                    if (entry.getValue().equals(definition.name())) {
                        final Object value = records.get(entry.getKey()).get(field.name());
                        if (value != null) {
                            index.computeIfAbsent(normalize(field, value), ignored -> new LinkedHashSet<>()).add(entry.getKey());
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the definition of this sObject (any case), or null
     */
    public SObjectDefinition definition(final String name) {
        lock.lock();
        try {
            return name == null ? null : definitions.get(name.toLowerCase(Locale.ROOT));
        } finally {
            lock.unlock();
        }
    }

    SObjectDefinition definitionOfId(final String canonicalId) {
        final String prefix = canonicalId.substring(0, 3);
        for (final SObjectDefinition definition : definitions.values()) {
            if (definition.keyPrefix().equals(prefix)) {
                return definition;
            }
        }
        return null;
    }

    /**
     * @return a copy of the record with this id (15 or 18 characters), or null
     */
    public Map<String, Object> get(final String id) {
        lock.lock();
        try {
            final String canonical = SalesforceIds.canonical(id);
            final Map<String, Object> record = canonical == null ? null : records.get(canonical);
            return record == null ? null : new LinkedHashMap<>(record);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return copies of all records of this sObject, in creation order of their ids
     */
    public List<Map<String, Object>> records(final String sObject) {
        lock.lock();
        try {
            final List<Map<String, Object>> copies = new ArrayList<>();
            for (final String id : new TreeSet<>(typeById.keySet())) {
                if (typeById.get(id).equalsIgnoreCase(sObject)) {
                    copies.add(new LinkedHashMap<>(records.get(id)));
                }
            }
            return copies;
        } finally {
            lock.unlock();
        }
    }

    public int count(final String sObject) {
        lock.lock();
        try {
            int count = 0;
            for (final String type : typeById.values()) {
                if (type.equalsIgnoreCase(sObject)) {
                    count++;
                }
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return a copy of the records whose External ID (or unique) field has this value, matched as Salesforce matches it
     */
    public List<Map<String, Object>> findByExternalId(final String sObject, final String fieldName, final String value) {
        lock.lock();
        try {
            final SObjectDefinition definition = definitions.get(sObject.toLowerCase(Locale.ROOT));
            final FieldDefinition field = definition == null ? null : definition.field(fieldName);
            if (field == null) {
                return List.of();
            }
            final List<Map<String, Object>> found = new ArrayList<>();
            for (final String id : lookup(definition, field, value)) {
                found.add(new LinkedHashMap<>(records.get(id)));
            }
            return found;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a write transaction (takes the store's lock until commit or rollback).
     */
    Transaction begin() {
        lock.lock();
        return new Transaction();
    }

    /**
     * The result of one successful write.
     */
    record WriteOutcome(String id, boolean created) {
    }

    WriteOutcome create(final Transaction transaction, final SObjectDefinition object, final ObjectNode input) {
        for (final Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if ("id".equalsIgnoreCase(name)) {
                throw reject("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", "Id");
            }
        }
        final Map<FieldDefinition, Object> values = parse(object, input, true, null);
        final List<String> missing = new ArrayList<>();
        for (final FieldDefinition field : object.fields()) {
            if (field.requiredOnCreate() && values.get(field) == null) {
                missing.add(field.name());
            }
        }
        requireNone(missing);
        checkUnique(object, values, null);
        final String id = ids.next(object.keyPrefix());
        final String now = FieldValues.nowDateTime(clock.getAsLong());
        final Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", id);
        record.put("CreatedDate", now);
        record.put("LastModifiedDate", now);
        for (final FieldDefinition field : object.fields()) {
            if (field.type() == FieldType.BOOLEAN && field.createable()) {
                record.put(field.name(), Boolean.FALSE);
            }
        }
        for (final Map.Entry<FieldDefinition, Object> entry : values.entrySet()) {
            record.put(entry.getKey().name(), entry.getValue());
        }
        records.put(id, record);
        typeById.put(id, object.name());
        indexAll(object, id, record);
        transaction.undo(() -> {
            unindexAll(object, id, record);
            records.remove(id);
            typeById.remove(id);
        });
        return new WriteOutcome(id, true);
    }

    WriteOutcome update(final Transaction transaction, final SObjectDefinition expectedObject, final String rawId, final ObjectNode input) {
        final String id = SalesforceIds.canonical(rawId);
        if (id == null) {
            throw reject("MALFORMED_ID", "malformed id " + rawId, "Id");
        }
        final Map<String, Object> record = records.get(id);
        if (record == null) {
            if (deletedIds.contains(id)) {
                throw reject("ENTITY_IS_DELETED", "entity is deleted");
            }
            throw reject("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        }
        final SObjectDefinition object = definitions.get(typeById.get(id).toLowerCase(Locale.ROOT));
        if (expectedObject != null && !expectedObject.name().equals(object.name())) {
            throw reject("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        }
        return applyUpdate(transaction, object, id, record, parse(object, input, false, null));
    }

    WriteOutcome upsert(final Transaction transaction, final SObjectDefinition object, final FieldDefinition externalIdField, final ObjectNode input) {
        for (final Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            if ("id".equalsIgnoreCase(names.next())) {
                throw reject("INVALID_FIELD", "Id not allowed when upserting by " + externalIdField.name() + "; send only the external id field", "Id");
            }
        }
        final JsonNode keyNode = valueIgnoringCase(input, externalIdField.name());
        if (keyNode == null || keyNode.isNull() || keyNode.asText().isEmpty()) {
            throw reject("MISSING_ARGUMENT", externalIdField.name() + " not specified", externalIdField.name());
        }
        final Object key = FieldValues.convert(object, externalIdField, keyNode);
        final Set<String> matches = lookup(object, externalIdField, key);
        if (matches.size() > 1) {
            throw reject("DUPLICATE_EXTERNAL_ID", externalIdField.name() + ": more than one record found for external id field: " + matches, externalIdField.name());
        }
        if (matches.isEmpty()) {
            return create(transaction, object, input);
        }
        final String id = matches.iterator().next();
        final WriteOutcome outcome = applyUpdate(transaction, object, id, records.get(id), parse(object, input, false, externalIdField));
        return new WriteOutcome(outcome.id(), false);
    }

    WriteOutcome delete(final Transaction transaction, final String rawId) {
        final String id = SalesforceIds.canonical(rawId);
        if (id == null) {
            throw reject("MALFORMED_ID", "malformed id " + rawId);
        }
        final Map<String, Object> record = records.get(id);
        if (record == null) {
            if (deletedIds.contains(id)) {
                throw reject("ENTITY_IS_DELETED", "entity is deleted");
            }
            throw reject("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        }
        final String type = typeById.get(id);
        final SObjectDefinition object = definitions.get(type.toLowerCase(Locale.ROOT));
        unindexAll(object, id, record);
        records.remove(id);
        typeById.remove(id);
        deletedIds.add(id);
        transaction.undo(() -> {
            deletedIds.remove(id);
            records.put(id, record);
            typeById.put(id, type);
            indexAll(object, id, record);
        });
        return new WriteOutcome(id, false);
    }

    private WriteOutcome applyUpdate(final Transaction transaction, final SObjectDefinition object, final String id, final Map<String, Object> record,
                                     final Map<FieldDefinition, Object> values) {
        final List<String> missing = new ArrayList<>();
        for (final Map.Entry<FieldDefinition, Object> entry : values.entrySet()) {
            if (entry.getValue() == null && !entry.getKey().nillable()) {
                missing.add(entry.getKey().name());
            }
        }
        requireNone(missing);
        checkUnique(object, values, id);
        final Map<String, Object> before = new LinkedHashMap<>(record);
        unindexAll(object, id, record);
        for (final Map.Entry<FieldDefinition, Object> entry : values.entrySet()) {
            record.put(entry.getKey().name(), entry.getValue());
        }
        record.put("LastModifiedDate", FieldValues.nowDateTime(clock.getAsLong()));
        indexAll(object, id, record);
        transaction.undo(() -> {
            unindexAll(object, id, record);
            record.clear();
            record.putAll(before);
            indexAll(object, id, record);
        });
        return new WriteOutcome(id, false);
    }

    /**
     * Parses the fields of an input record (skipping {@code attributes}, the id, and {@code skipped}).
     */
    private Map<FieldDefinition, Object> parse(final SObjectDefinition object, final ObjectNode input, final boolean create, final FieldDefinition skipped) {
        final Map<FieldDefinition, Object> values = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> entries = input.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            final String name = entry.getKey();
            if ("attributes".equals(name) || (!create && "id".equalsIgnoreCase(name))) {
                continue;
            }
            if (skipped != null && skipped.name().equalsIgnoreCase(name) && !create) {
                continue;
            }
            final JsonNode value = entry.getValue();
            if (value.isObject()) {
                final FieldDefinition reference = object.relationship(name);
                if (reference == null) {
                    throw reject("INVALID_FIELD", "No such column '" + name + "' on sobject of type " + object.name(), name);
                }
                values.put(reference, resolveReference(reference, (ObjectNode) value));
                continue;
            }
            final FieldDefinition field = object.field(name);
            if (field == null) {
                throw reject("INVALID_FIELD", "No such column '" + name + "' on sobject of type " + object.name(), name);
            }
            if (create ? !field.createable() : !field.updateable()) {
                throw reject("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name()
                        + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.", field.name());
            }
            final Object converted = FieldValues.convert(object, field, value);
            if (field.type() == FieldType.REFERENCE && converted != null) {
                final SObjectDefinition target = definitions.get(field.referenceTo().toLowerCase(Locale.ROOT));
                if (target != null && !records.containsKey((String) converted)) {
                    throw reject("INVALID_CROSS_REFERENCE_KEY", field.name() + ": id value of incorrect type: " + converted, field.name());
                }
            }
            values.put(field, converted);
        }
        return values;
    }

    private String resolveReference(final FieldDefinition reference, final ObjectNode target) {
        final SObjectDefinition targetObject = definitions.get(reference.referenceTo().toLowerCase(Locale.ROOT));
        String externalName = null;
        JsonNode externalValue = null;
        for (final Iterator<Map.Entry<String, JsonNode>> entries = target.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            if (!"attributes".equals(entry.getKey())) {
                externalName = entry.getKey();
                externalValue = entry.getValue();
            }
        }
        final FieldDefinition externalField = targetObject == null || externalName == null ? null : targetObject.field(externalName);
        if (externalField == null || !externalField.idLookup()) {
            throw reject("INVALID_FIELD", "Field name provided, " + externalName + " is not an External ID or indexed field for " + reference.referenceTo(),
                    reference.relationshipName());
        }
        if (externalField.type() == FieldType.ID) {
            return (String) FieldValues.convert(targetObject, externalField, externalValue);
        }
        final Object key = FieldValues.convert(targetObject, externalField, externalValue);
        final Set<String> matches = key == null ? Set.of() : lookup(targetObject, externalField, key);
        if (matches.isEmpty()) {
            throw reject("INVALID_FIELD", "Foreign key external ID: " + externalValue.asText() + " not found for field " + externalField.name()
                    + " in entity " + targetObject.name(), reference.relationshipName());
        }
        if (matches.size() > 1) {
            throw reject("DUPLICATE_EXTERNAL_ID", "Foreign key external ID: " + externalValue.asText() + " matched more than one record", reference.relationshipName());
        }
        return matches.iterator().next();
    }

    private void checkUnique(final SObjectDefinition object, final Map<FieldDefinition, Object> values, final String selfId) {
        for (final Map.Entry<FieldDefinition, Object> entry : values.entrySet()) {
            final FieldDefinition field = entry.getKey();
            if (!field.unique() || entry.getValue() == null) {
                continue;
            }
            for (final String other : lookup(object, field, entry.getValue())) {
                if (!other.equals(selfId)) {
                    throw reject("DUPLICATE_VALUE", "duplicate value found: " + field.name() + " duplicates value on record with id: " + other, field.name());
                }
            }
        }
    }

    private Set<String> lookup(final SObjectDefinition object, final FieldDefinition field, final Object value) {
        final Map<String, Set<String>> index = indexes.get(indexName(object, field));
        if (index == null) {
            final Set<String> scanned = new LinkedHashSet<>();
            final String wanted = normalize(field, value);
            for (final Map.Entry<String, String> entry : typeById.entrySet()) {
                final Object stored = entry.getValue().equals(object.name()) ? records.get(entry.getKey()).get(field.name()) : null;
                if (stored != null && normalize(field, stored).equals(wanted)) {
                    scanned.add(entry.getKey());
                }
            }
            return scanned;
        }
        final Set<String> found = index.get(normalize(field, value));
        return found == null ? Set.of() : Set.copyOf(found);
    }

    private void indexAll(final SObjectDefinition object, final String id, final Map<String, Object> record) {
        for (final FieldDefinition field : object.uniqueFields()) {
            final Object value = record.get(field.name());
            if (value != null) {
                indexes.computeIfAbsent(indexName(object, field), ignored -> new HashMap<>())
                        .computeIfAbsent(normalize(field, value), ignored -> new LinkedHashSet<>()).add(id);
            }
        }
    }

    private void unindexAll(final SObjectDefinition object, final String id, final Map<String, Object> record) {
        for (final FieldDefinition field : object.uniqueFields()) {
            final Object value = record.get(field.name());
            final Map<String, Set<String>> index = indexes.get(indexName(object, field));
            if (value != null && index != null) {
                final String key = normalize(field, value);
                final Set<String> holders = index.get(key);
                if (holders != null) {
                    holders.remove(id);
                    if (holders.isEmpty()) {
                        index.remove(key);
                    }
                }
            }
        }
    }

    private static String indexName(final SObjectDefinition object, final FieldDefinition field) {
        return object.name() + "." + field.name().toLowerCase(Locale.ROOT);
    }

    private static String normalize(final FieldDefinition field, final Object value) {
        final String text = value.toString();
        return field.caseSensitive() ? text : text.toLowerCase(Locale.ROOT);
    }

    static JsonNode valueIgnoringCase(final ObjectNode input, final String fieldName) {
        for (final Iterator<Map.Entry<String, JsonNode>> entries = input.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getKey().equalsIgnoreCase(fieldName)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static void requireNone(final List<String> missing) {
        if (!missing.isEmpty()) {
            throw new RecordError.Rejected(new RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing));
        }
    }

    private static RecordError.Rejected reject(final String statusCode, final String message, final String... fields) {
        return new RecordError.Rejected(RecordError.of(statusCode, message, fields));
    }

    /**
     * A write transaction: holds the store's lock; {@link #rollback()} undoes every write made in it.
     */
    final class Transaction implements AutoCloseable {

        private final Deque<Runnable> undoActions = new ArrayDeque<>();
        private boolean open = true;

        void undo(final Runnable action) {
            undoActions.push(action);
        }

        void rollback() {
            while (!undoActions.isEmpty()) {
                undoActions.pop().run();
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                undoActions.clear();
                lock.unlock();
            }
        }
    }
}
