package dev.nifireverseetl.processors.zendesk;

import dev.nifireverseetl.processors.engine.auth.CredentialFingerprint;
import dev.nifireverseetl.processors.engine.auth.CredentialSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Zendesk API token authentication: {@code Authorization: Basic base64("{email}/token:{api_token}")} (reference §3.1).
 * Password authentication is deprecated by Zendesk and not offered.
 */
public final class ZendeskApiTokenCredential implements CredentialSource {

    private final String header;
    private final String fingerprint;

    public ZendeskApiTokenCredential(final String email, final String apiToken) {
        if (email == null || email.isBlank() || apiToken == null || apiToken.isBlank()) {
            throw new IllegalArgumentException("An agent email and an API token are required");
        }
        final String credential = email.trim() + "/token:" + apiToken.trim();
        this.header = "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
        this.fingerprint = CredentialFingerprint.of("zendesk-token:" + credential);
    }

    @Override
    public String authorizationHeader() {
        return header;
    }

    @Override
    public void refresh() {
        // an API token cannot be refreshed; a second 401 fails the request
    }

    @Override
    public String accountFingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "ZendeskApiTokenCredential[redacted]";
    }
}
