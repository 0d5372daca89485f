package dev.nifireverseetl.testsupport.emulator.hubspot;

import java.util.Set;

/**
 * One property of an object type's schema.
 *
 * @param name     internal name
 * @param type     its type
 * @param unique   hasUniqueValue (usable as idProperty)
 * @param readOnly HubSpot-managed (hs_object_id, createdate, ...): writing it is a READ_ONLY_VALUE error
 * @param options  allowed values of an enumeration
 * @param multiple enumeration that takes several ";"-separated values (multi-checkbox)
 */
public record HubSpotProperty(String name, PropertyType type, boolean unique, boolean readOnly, Set<String> options, boolean multiple) {

    public HubSpotProperty {
        options = options == null ? Set.of() : Set.copyOf(options);
    }

    public static HubSpotProperty of(final String name, final PropertyType type) {
        return new HubSpotProperty(name, type, false, false, Set.of(), false);
    }
}
