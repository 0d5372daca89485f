package dev.nifireverseetl.processors.engine.auth;

/**
 * A static bearer token (HubSpot private-app token, a Zendesk OAuth token). Refresh does nothing.
 */
public final class BearerTokenCredential implements CredentialSource {

    private final String token;
    private final String fingerprint;

    public BearerTokenCredential(final String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("A bearer token is required");
        }
        this.token = token.trim();
        this.fingerprint = CredentialFingerprint.of("bearer:" + this.token);
    }

    @Override
    public String authorizationHeader() {
        return "Bearer " + token;
    }

    @Override
    public void refresh() {
        // a static token cannot be refreshed; a second 401 fails the request
    }

    @Override
    public String accountFingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "BearerTokenCredential[redacted]";
    }
}
