package dev.nifireverseetl.processors.salesforce;

import okhttp3.FormBody;

/**
 * The client credentials grant: {@code grant_type=client_credentials&client_id=…&client_secret=…}.
 */
final class ClientCredentialsGrant implements TokenGrant {

    private final String consumerKey;
    private final String consumerSecret;

    ClientCredentialsGrant(final String consumerKey, final String consumerSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
    }

    @Override
    public FormBody requestBody() {
        return new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", consumerKey)
                .add("client_secret", consumerSecret)
                .build();
    }

    @Override
    public String accountScope() {
        return "client_credentials:" + consumerKey;
    }

    @Override
    public String toString() {
        return "ClientCredentialsGrant[redacted]";
    }
}
