package dev.nifireverseetl.processors.engine.auth;

import org.apache.nifi.oauth2.AccessToken;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;

/**
 * A bearer token from NiFi's {@link OAuth2AccessTokenProvider} service: asked for every request (the service caches
 * and refreshes proactively), and told to refresh after a 401.
 */
public final class AccessTokenProviderCredential implements CredentialSource {

    private final OAuth2AccessTokenProvider provider;
    private final String fingerprint;

    /**
     * @param provider       the token service
     * @param accountScope   a stable, non-secret identifier of the account (for example the service identifier plus
     *                       the base URL), fingerprinted to key the shared rate budget
     */
    public AccessTokenProviderCredential(final OAuth2AccessTokenProvider provider, final String accountScope) {
        this.provider = provider;
        this.fingerprint = CredentialFingerprint.of("oauth2:" + accountScope);
    }

    @Override
    public String authorizationHeader() {
        final AccessToken details = provider.getAccessDetails();
        return "Bearer " + details.getAccessToken();
    }

    @Override
    public void refresh() {
        provider.refreshAccessDetails();
    }

    @Override
    public String accountFingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "AccessTokenProviderCredential[redacted]";
    }
}
