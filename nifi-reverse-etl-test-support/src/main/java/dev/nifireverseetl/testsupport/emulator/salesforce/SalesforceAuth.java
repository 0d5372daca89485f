package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The OAuth 2.0 token endpoint ({@code POST /services/oauth2/token}) with the two server-to-server grants, and the
 * sessions its access tokens open.
 * <ul>
 *     <li>client_credentials: client id and secret in the form body, or HTTP Basic client authentication.</li>
 *     <li>JWT bearer: an RS256-signed assertion whose {@code iss} is the consumer key, {@code sub} the integration
 *     user's username, {@code aud} the login URL, and {@code exp} in the future but at most 180 s ahead.</li>
 * </ul>
 * The response carries {@code instance_url} (the emulator) and no {@code expires_in}. Sessions expire after a
 * configurable idle-independent timeout, or on demand; an expired or unknown token gets
 * {@code 401 [{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]}.
 */
public final class SalesforceAuth {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final long MAXIMUM_EXPIRY_AHEAD_SECONDS = 180;

    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final LongSupplier clock;
    private final Supplier<String> instanceUrl;
    private volatile String clientId = "3MVG9-emulator-consumer-key";
    private volatile String clientSecret = "emulator-consumer-secret";
    private volatile String username = "integration@example.com";
    private volatile String audience = "https://login.salesforce.com";
    private volatile PublicKey jwtPublicKey;
    private volatile long sessionTimeoutMillis = 2 * 60 * 60 * 1000L;

    SalesforceAuth(final LongSupplier clock, final Supplier<String> instanceUrl) {
        this.clock = clock;
        this.instanceUrl = instanceUrl;
    }

    public SalesforceAuth clientCredentials(final String consumerKey, final String consumerSecret) {
        this.clientId = consumerKey;
        this.clientSecret = consumerSecret;
        return this;
    }

    /**
     * Configures the JWT bearer grant: the certificate's public key uploaded to the app, the user the token acts as,
     * and the audience expected in {@code aud}.
     */
    public SalesforceAuth jwtBearer(final PublicKey publicKey, final String integrationUsername, final String expectedAudience) {
        this.jwtPublicKey = publicKey;
        this.username = integrationUsername;
        this.audience = expectedAudience;
        return this;
    }

    public SalesforceAuth sessionTimeoutMillis(final long millis) {
        this.sessionTimeoutMillis = millis;
        return this;
    }

    /**
     * Ends every open session: the next API call with any token gets 401 INVALID_SESSION_ID.
     */
    public void expireAllSessions() {
        sessions.clear();
    }

    public String consumerKey() {
        return clientId;
    }

    public String consumerSecret() {
        return clientSecret;
    }

    public String username() {
        return username;
    }

    public String audience() {
        return audience;
    }

    /**
     * @return how many access tokens the endpoint has issued
     */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /**
     * @return true when the bearer token names an open session
     */
    boolean isValid(final String accessToken) {
        if (accessToken == null) {
            return false;
        }
        final Long issuedAt = sessions.get(accessToken);
        if (issuedAt == null) {
            return false;
        }
        if (clock.getAsLong() - issuedAt >= sessionTimeoutMillis) {
            sessions.remove(accessToken);
            return false;
        }
        return true;
    }

    EmulatorResponse token(final EmulatorRequest request) {
        final String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return oauthError("invalid_request", "unsupported content type");
        }
        final Map<String, String> form = parseForm(request.bodyText());
        final String grantType = form.get("grant_type");
        if ("client_credentials".equals(grantType)) {
            return clientCredentialsGrant(request, form);
        }
        if (JWT_BEARER.equals(grantType)) {
            return jwtBearerGrant(form.get("assertion"));
        }
        return oauthError("unsupported_grant_type", "grant type not supported");
    }

    private EmulatorResponse clientCredentialsGrant(final EmulatorRequest request, final Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        final String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            final String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            final int colon = decoded.indexOf(':');
            if (colon > 0) {
                id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (id == null || !id.equals(clientId)) {
            return oauthError("invalid_client_id", "client identifier invalid");
        }
        if (secret == null || !secret.equals(clientSecret)) {
            return oauthError("invalid_client", "invalid client credentials");
        }
        return issue();
    }

    private EmulatorResponse jwtBearerGrant(final String assertion) {
        if (assertion == null || jwtPublicKey == null) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        final String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        final JsonNode header;
        final JsonNode claims;
        try {
            header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (final Exception e) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (!"RS256".equals(header.path("alg").asText()) || !signatureValid(parts)) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (!clientId.equals(claims.path("iss").asText())) {
            return oauthError("invalid_client_id", "client identifier invalid");
        }
        if (!audienceMatches(claims.get("aud"))) {
            return oauthError("invalid_grant", "audience is invalid");
        }
        final long nowSeconds = clock.getAsLong() / 1000;
        final long expiry = claims.path("exp").asLong(0);
        if (expiry <= nowSeconds || expiry > nowSeconds + MAXIMUM_EXPIRY_AHEAD_SECONDS) {
            return oauthError("invalid_grant", "expired authorization code");
        }
        if (!username.equals(claims.path("sub").asText())) {
            return oauthError("invalid_grant", "user hasn't approved this consumer");
        }
        return issue();
    }

    private boolean audienceMatches(final JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isArray()) {
            for (final JsonNode item : aud) {
                if (audience.equals(item.asText())) {
                    return true;
                }
            }
            return false;
        }
        return audience.equals(aud.asText());
    }

    private boolean signatureValid(final String[] parts) {
        try {
            final Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(jwtPublicKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private EmulatorResponse issue() {
        final byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        final String accessToken = "00D5g000000EMUL!AQ0AQ" + HexFormat.of().formatHex(bytes);
        final long now = clock.getAsLong();
        sessions.put(accessToken, now);
        tokensIssued.incrementAndGet();
        final ObjectNode body = Json.object(
                "access_token", accessToken,
                "instance_url", instanceUrl.get(),
                "id", "https://login.salesforce.com/id/00D5g000000EMULEAA/0055g00000EMULAAA",
                "token_type", "Bearer",
                "issued_at", String.valueOf(now),
                "signature", Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, 16)),
                "scope", "api");
        return EmulatorResponse.json(200, body);
    }

    private static EmulatorResponse oauthError(final String error, final String description) {
        return EmulatorResponse.json(400, Json.object("error", error, "error_description", description));
    }

    private static Map<String, String> parseForm(final String body) {
        final Map<String, String> form = new HashMap<>();
        for (final String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            final String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }
}
