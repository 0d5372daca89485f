package dev.nifireverseetl.processors.zendesk;

import org.apache.nifi.components.DescribedValue;

/**
 * How PutZendesk authenticates.
 */
public enum ZendeskAuthenticationMethod implements DescribedValue {
    API_TOKEN("API token", "An agent email and an API token, sent as Basic {email}/token:{token}. API token access must be enabled in Admin Center."),
    OAUTH("OAuth access token", "A bearer token from an OAuth2 Access Token Provider service (scopes users:write, organizations:write, read).");

    private final String value;
    private final String description;

    ZendeskAuthenticationMethod(final String value, final String description) {
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
