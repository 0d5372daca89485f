package dev.nifireverseetl.testsupport.emulator.hubspot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records of one object type: string-valued properties by record id, plus one index per unique property.
 * Callers synchronize on the store for multi-step operations (a batch is applied atomically).
 */
public final class ObjectStore {

    private final ObjectSchema schema;
    private final AtomicLong ids;
    private final Map<String, StoredObject> byId = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> uniqueIndexes = new HashMap<>();

    ObjectStore(final ObjectSchema schema, final AtomicLong ids) {
        this.schema = schema;
        this.ids = ids;
    }

    public ObjectSchema schema() {
        return schema;
    }

    /**
     * @return the live (not archived) record with this value of a unique property, or null
     */
    public synchronized StoredObject findByUnique(final String property, final String value) {
        final Map<String, String> index = uniqueIndexes.get(property);
        final String id = index == null || value == null ? null : index.get(normalize(property, value));
        return id == null ? null : byId.get(id);
    }

    public synchronized StoredObject findById(final String id) {
        final StoredObject object = byId.get(id);
        return object == null || object.archived ? null : object;
    }

    synchronized StoredObject create(final Map<String, String> properties, final long now) {
        final String id = String.valueOf(ids.incrementAndGet());
        final StoredObject object = new StoredObject(id, now);
        object.properties.put("hs_object_id", id);
        object.properties.put("createdate", HubSpotEmulator.iso(now));
        byId.put(id, object);
        update(object, properties, now);
        return object;
    }

    synchronized void update(final StoredObject object, final Map<String, String> properties, final long now) {
        for (final Map.Entry<String, String> property : properties.entrySet()) {
            final String name = property.getKey();
            final String value = property.getValue();
            final String previous = object.properties.get(name);
            if (schema.isUnique(name)) {
                final Map<String, String> index = uniqueIndexes.computeIfAbsent(name, ignored -> new HashMap<>());
                if (previous != null && !previous.isEmpty()) {
                    index.remove(normalize(name, previous));
                }
                if (value != null && !value.isEmpty()) {
                    index.put(normalize(name, value), object.id);
                }
            }
            if (value == null || value.isEmpty()) {
                object.properties.put(name, "");
            } else {
                object.properties.put(name, schema.get(name) != null && schema.get(name).type() == PropertyType.EMAIL ? value.toLowerCase(Locale.ROOT) : value);
            }
        }
        object.updatedAt = now;
        object.properties.put("lastmodifieddate", HubSpotEmulator.iso(now));
        object.properties.put("hs_lastmodifieddate", HubSpotEmulator.iso(now));
    }

    synchronized void archive(final StoredObject object, final long now) {
        object.archived = true;
        object.updatedAt = now;
        for (final HubSpotProperty unique : schema.uniqueProperties()) {
            final String value = object.properties.get(unique.name());
            final Map<String, String> index = uniqueIndexes.get(unique.name());
            if (index != null && value != null) {
                index.remove(normalize(unique.name(), value));
            }
        }
    }

    /**
     * @return copies of every live record's properties (empty values left out), in creation order
     */
    public synchronized List<Map<String, String>> liveRecords() {
        final List<Map<String, String>> records = new ArrayList<>();
        for (final StoredObject object : byId.values()) {
            if (!object.archived) {
                records.add(object.snapshot());
            }
        }
        return records;
    }

    public synchronized int liveCount() {
        int count = 0;
        for (final StoredObject object : byId.values()) {
            if (!object.archived) {
                count++;
            }
        }
        return count;
    }

    synchronized List<StoredObject> liveObjects() {
        final List<StoredObject> live = new ArrayList<>();
        for (final StoredObject object : byId.values()) {
            if (!object.archived) {
                live.add(object);
            }
        }
        return live;
    }

    String normalize(final String property, final String value) {
        final HubSpotProperty definition = schema.get(property);
        return definition != null && definition.type() == PropertyType.EMAIL ? value.trim().toLowerCase(Locale.ROOT) : value;
    }

    /**
     * One stored record.
     */
    public static final class StoredObject {
        final String id;
        final long createdAt;
        long updatedAt;
        boolean archived;
        final Map<String, String> properties = new LinkedHashMap<>();

        StoredObject(final String id, final long createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        public String id() {
            return id;
        }

        /**
         * @return the properties with a non-empty value
         */
        public synchronized Map<String, String> snapshot() {
            final Map<String, String> copy = new LinkedHashMap<>();
            for (final Map.Entry<String, String> property : properties.entrySet()) {
                if (property.getValue() != null && !property.getValue().isEmpty()) {
                    copy.put(property.getKey(), property.getValue());
                }
            }
            return copy;
        }
    }
}
