package dev.nifireverseetl.processors.engine;

import org.apache.nifi.components.DescribedValue;

/**
 * What a null record value means for the destination field.
 */
public enum NullHandling implements DescribedValue {
    SKIP("skip nulls", "A null value is not sent: the destination keeps its current value."),
    CLEAR("clear field", "A null value clears the destination field (HubSpot: empty string; Salesforce and Zendesk: null).");

    private final String value;
    private final String description;

    NullHandling(final String value, final String description) {
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
