package dev.nifireverseetl.testsupport.emulator.salesforce;

/**
 * Salesforce field types, named as the describe resource names them.
 */
public enum FieldType {
    ID("id"),
    STRING("string"),
    TEXTAREA("textarea"),
    EMAIL("email"),
    PHONE("phone"),
    URL("url"),
    PICKLIST("picklist"),
    MULTIPICKLIST("multipicklist"),
    BOOLEAN("boolean"),
    INT("int"),
    DOUBLE("double"),
    CURRENCY("currency"),
    PERCENT("percent"),
    DATE("date"),
    DATETIME("datetime"),
    REFERENCE("reference");

    private final String describeName;

    FieldType(final String describeName) {
        this.describeName = describeName;
    }

    public String describeName() {
        return describeName;
    }

    boolean isText() {
        return this == STRING || this == TEXTAREA || this == EMAIL || this == PHONE || this == URL || this == PICKLIST || this == MULTIPICKLIST;
    }

    boolean isNumber() {
        return this == INT || this == DOUBLE || this == CURRENCY || this == PERCENT;
    }
}
