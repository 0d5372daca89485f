package dev.nifireverseetl.processors.zendesk;

import org.apache.nifi.components.DescribedValue;

/**
 * The user identity that matches a record to a Zendesk user (Zendesk matches create_or_update_many items by either).
 */
public enum UserMatchField implements DescribedValue {
    EXTERNAL_ID("external_id", "The record key is the user's external_id (unique per account, case-insensitive). Recommended."),
    EMAIL("email", "The record key is the user's email. A different email on an update adds a secondary identity in Zendesk.");

    private final String value;
    private final String description;

    UserMatchField(final String value, final String description) {
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
