package dev.nifireverseetl.processors.engine;

import org.apache.nifi.components.DescribedValue;

/**
 * Who owns a destination field, for destinations with other writers (configured per field in Field Ownership).
 */
public enum FieldOwnership implements DescribedValue {
    ALWAYS("always", "The sync owns the field: it is written on every create and update."),
    ON_CREATE_ONLY("on create only", "Written when the sync creates the record, never overwritten afterwards. Known from the sync state (a key with an accepted version or a destination id exists already), so it costs no extra request."),
    IF_EMPTY("if empty", "Written only when the destination field is empty. Costs one extra read request per batch that carries such a field (through the same rate budget).");

    private final String value;
    private final String description;

    FieldOwnership(final String value, final String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public String getDisplayName() {
        return value;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
