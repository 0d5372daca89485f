package dev.nifireverseetl.testsupport.emulator.hubspot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The properties of one object type, configurable by tests. Thread-safe for reads after configuration.
 */
public final class ObjectSchema {

    private final String objectType;
    private final Map<String, HubSpotProperty> properties = new LinkedHashMap<>();

    ObjectSchema(final String objectType) {
        this.objectType = objectType;
        readOnly("hs_object_id", PropertyType.NUMBER);
        readOnly("createdate", PropertyType.DATETIME);
        readOnly("lastmodifieddate", PropertyType.DATETIME);
        readOnly("hs_lastmodifieddate", PropertyType.DATETIME);
    }

    public String objectType() {
        return objectType;
    }

    public synchronized ObjectSchema property(final String name, final PropertyType type) {
        properties.put(name, HubSpotProperty.of(name, type));
        return this;
    }

    /**
     * Adds a property with unique values (usable as idProperty).
     */
    public synchronized ObjectSchema uniqueProperty(final String name, final PropertyType type) {
        properties.put(name, new HubSpotProperty(name, type, true, false, Set.of(), false));
        return this;
    }

    public synchronized ObjectSchema enumeration(final String name, final boolean multiple, final String... options) {
        properties.put(name, new HubSpotProperty(name, PropertyType.ENUMERATION, false, false, Set.of(options), multiple));
        return this;
    }

    private void readOnly(final String name, final PropertyType type) {
        properties.put(name, new HubSpotProperty(name, type, false, true, Set.of(), false));
    }

    public synchronized HubSpotProperty get(final String name) {
        return properties.get(name);
    }

    public synchronized boolean isUnique(final String name) {
        final HubSpotProperty property = properties.get(name);
        return property != null && property.unique();
    }

    synchronized Iterable<HubSpotProperty> uniqueProperties() {
        return properties.values().stream().filter(HubSpotProperty::unique).toList();
    }
}
