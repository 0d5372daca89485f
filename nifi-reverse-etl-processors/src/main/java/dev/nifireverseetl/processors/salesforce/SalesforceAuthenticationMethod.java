package dev.nifireverseetl.processors.salesforce;

import org.apache.nifi.components.DescribedValue;

/**
 * How PutSalesforce obtains its access token.
 */
public enum SalesforceAuthenticationMethod implements DescribedValue {
    CLIENT_CREDENTIALS("Client Credentials", "OAuth 2.0 client credentials flow: the consumer key and secret of an external client app whose "
            + "run-as user is the integration user. The token endpoint must be the org's My Domain URL."),
    JWT_BEARER("JWT Bearer", "OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the private key whose certificate is uploaded to the app; "
            + "no secret is sent. The user must be pre-authorised for the app."),
    ACCESS_TOKEN_PROVIDER("Access Token Provider", "NiFi's OAuth2 Access Token Provider service supplies the token; the Instance URL property "
            + "says where the API is.");

    private final String displayName;
    private final String description;

    SalesforceAuthenticationMethod(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return name();
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
