package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.auth.CredentialFingerprint;
import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.http.HttpClientFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * A Salesforce API session from the OAuth token endpoint ({@code {login URL}/services/oauth2/token}): the access token
 * and the {@code instance_url} every API call goes to. Salesforce sends no {@code expires_in}; the session is renewed
 * when an API call answers 401 INVALID_SESSION_ID ({@link #refresh()}). Thread-safe; concurrent 401s renew once.
 */
final class SalesforceSession implements CredentialSource {

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final long RENEWAL_GRACE_MILLIS = 250;

    private final OkHttpClient httpClient;
    private final String tokenUrl;
    private final TokenGrant grant;
    private final LongSupplier clock;
    private final String fingerprint;
    private String accessToken;
    private String instanceUrl;
    private long issuedAtMillis;
    private int tokensObtained;

    SalesforceSession(final OkHttpClient httpClient, final String loginUrl, final TokenGrant grant, final LongSupplier clock) {
        this.httpClient = httpClient;
        this.tokenUrl = trimSlash(loginUrl) + "/services/oauth2/token";
        this.grant = grant;
        this.clock = clock;
        this.fingerprint = CredentialFingerprint.of("salesforce:" + trimSlash(loginUrl) + ":" + grant.accountScope());
    }

    @Override
    public synchronized String authorizationHeader() {
        ensureToken();
        return "Bearer " + accessToken;
    }

    /**
     * @return the instance URL of the session (authenticating first when there is no session)
     */
    synchronized String instanceUrl() {
        ensureToken();
        return instanceUrl;
    }

    @Override
    public synchronized void refresh() {
        if (accessToken != null && clock.getAsLong() - issuedAtMillis < RENEWAL_GRACE_MILLIS) {
            return;
        }
        accessToken = null;
    }

    /**
     * Obtains a token now unless the session has one.
     *
     * @throws SalesforceAuthenticationException when the token endpoint refuses or cannot be reached
     */
    synchronized void ensureSession() {
        ensureToken();
    }

    synchronized int tokensObtained() {
        return tokensObtained;
    }

    @Override
    public String accountFingerprint() {
        return fingerprint;
    }

    private void ensureToken() {
        if (accessToken != null) {
            return;
        }
        final Request request = new Request.Builder().url(tokenUrl).header("Accept", "application/json").post(grant.requestBody()).build();
        try (Response response = httpClient.newCall(request).execute()) {
            final String body = response.body().string();
            final JsonNode json = parse(body);
            if (!response.isSuccessful()) {
                final String error = json.path("error").asText("");
                final boolean refused = response.code() >= 400 && response.code() < 500 && response.code() != 408 && response.code() != 429 && !error.isEmpty();
                if (refused) {
                    throw new SalesforceAuthenticationException("Salesforce refused the token request (HTTP " + response.code() + "): " + error + ": "
                            + json.path("error_description").asText(""), error, false, null);
                }
                throw new SalesforceAuthenticationException("The Salesforce token endpoint failed (HTTP " + response.code() + ")"
                        + (error.isEmpty() ? "" : ": " + error) + "; a token is requested again later");
            }
            final String token = json.path("access_token").asText(null);
            final String instance = json.path("instance_url").asText(null);
            if (token == null || instance == null) {
                throw new SalesforceAuthenticationException("The token response (HTTP " + response.code() + ") has no readable access_token or instance_url; "
                        + "a token is requested again later");
            }
            accessToken = token;
            instanceUrl = trimSlash(instance);
            issuedAtMillis = clock.getAsLong();
            tokensObtained++;
        } catch (final IOException e) {
            throw new SalesforceAuthenticationException("Cannot reach the Salesforce token endpoint " + tokenUrl + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); a token is requested again later", e);
        }
    }

    private static JsonNode parse(final String body) {
        try {
            return OBJECT_MAPPER.readTree(body.isEmpty() ? "{}" : body);
        } catch (final IOException e) {
            return OBJECT_MAPPER.createObjectNode();
        }
    }

    static String trimSlash(final String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Releases the HTTP client of the token endpoint.
     */
    void close() {
        HttpClientFactory.close(httpClient);
    }

    @Override
    public String toString() {
        return "SalesforceSession[" + tokenUrl + ", redacted]";
    }
}
