package dev.nifireverseetl.processors.pii;

import org.apache.nifi.components.DescribedValue;

/**
 * What HashPII does with a record holding a value that cannot be normalised.
 */
public enum InvalidValueHandling implements DescribedValue {
    ROUTE_TO_FAILURE("Route Record to Failure",
            "The whole record goes to failure, unchanged, with _retl_error_code and _retl_error_message naming the field and the rule it broke"),
    CLEAR_FIELD("Clear Field and Continue",
            "The invalid field is set to null (so nothing is sent for it) and the record goes to success with its other fields hashed");

    private final String displayName;
    private final String description;

    InvalidValueHandling(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return displayName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
