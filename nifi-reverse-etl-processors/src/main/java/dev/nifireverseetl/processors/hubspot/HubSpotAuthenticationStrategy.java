package dev.nifireverseetl.processors.hubspot;

import org.apache.nifi.components.DescribedValue;

/**
 * How PutHubSpot authenticates.
 */
public enum HubSpotAuthenticationStrategy implements DescribedValue {
    ACCESS_TOKEN("Access Token", "A private-app (static) access token: Authorization: Bearer pat-..."),
    OAUTH2("OAuth2 Access Token Provider", "An OAuth 2 access token from NiFi's OAuth2 Access Token Provider service (public apps); refreshed after a 401.");

    private final String displayName;
    private final String description;

    HubSpotAuthenticationStrategy(final String displayName, final String description) {
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
