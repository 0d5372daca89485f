package dev.nifireverseetl.processors.zendesk;

import org.apache.nifi.components.DescribedValue;

/**
 * The Zendesk object a PutZendesk processor writes.
 */
public enum ZendeskObjectType implements DescribedValue {
    USERS("users", "Zendesk users (end users, agents): create_or_update_many, matched by external_id or email."),
    ORGANIZATIONS("organizations", "Zendesk organizations: matched by external_id (never by name); written with create_many and update_many.");

    private final String value;
    private final String description;

    ZendeskObjectType(final String value, final String description) {
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
