package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.auth.AccessTokenProviderCredential;
import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;
import okhttp3.OkHttpClient;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;

import java.util.function.Supplier;

/**
 * How a processor reaches one Salesforce org: the credential (a {@link SalesforceSession} from the token endpoint, or
 * NiFi's OAuth2 Access Token Provider with a configured instance URL), the REST API URLs of the configured version, and
 * the key of the shared rate budget. Built from PutSalesforce's property descriptors, so PutSalesforce and
 * ResolveExternalIds authenticate the same way and share one budget per org and app. Thread-safe.
 */
public final class SalesforceConnection {

    /**
     * Salesforce has no short-window request limit (only the rolling 24 h allocation, followed through
     * {@code Sforce-Limit-Info}, and concurrent long-running requests, bounded by Max Concurrent Requests): the window
     * budget is not the constraint.
     */
    private static final RateLimitPolicy RATE_POLICY = new RateLimitPolicy(10_000, 1_000, 0);

    private final CredentialSource credential;
    private final Supplier<String> instanceUrl;
    private final SalesforceApi api;
    private final String budgetUrl;
    private final SalesforceSession session;

    private SalesforceConnection(final CredentialSource credential, final Supplier<String> instanceUrl, final String version, final String budgetUrl,
                                 final SalesforceSession session) {
        this.credential = credential;
        this.instanceUrl = instanceUrl;
        this.api = new SalesforceApi(instanceUrl, version);
        this.budgetUrl = budgetUrl;
        this.session = session;
    }

    /**
     * Reads PutSalesforce's Login URL, Consumer Key, Consumer Secret, Username, Private Key, JWT Audience, Instance URL
     * and API Version properties (same names in every processor that reuses them).
     *
     * @param authenticationMethod the property holding the {@link SalesforceAuthenticationMethod}
     * @param accessTokenProvider  the property holding the OAuth2 Access Token Provider (Access Token Provider method)
     * @param tokenHttpClient      creates the HTTP client of the token endpoint (called only for the token flows; the
     *                             session closes it in {@link #close()})
     * @throws IllegalArgumentException when the private key cannot be read
     */
    public static SalesforceConnection create(final PropertyContext context, final PropertyDescriptor authenticationMethod,
                                              final PropertyDescriptor accessTokenProvider, final Supplier<OkHttpClient> tokenHttpClient) {
        final SalesforceAuthenticationMethod method = context.getProperty(authenticationMethod).asAllowableValue(SalesforceAuthenticationMethod.class);
        final String version = context.getProperty(PutSalesforce.API_VERSION).getValue();
        if (method == SalesforceAuthenticationMethod.ACCESS_TOKEN_PROVIDER) {
            final String instanceUrl = SalesforceSession.trimSlash(context.getProperty(PutSalesforce.INSTANCE_URL).getValue());
            final OAuth2AccessTokenProvider provider = context.getProperty(accessTokenProvider).asControllerService(OAuth2AccessTokenProvider.class);
            final CredentialSource credential = new AccessTokenProviderCredential(provider, provider.getIdentifier() + "@" + instanceUrl);
            return new SalesforceConnection(credential, () -> instanceUrl, version, instanceUrl, null);
        }
        final String loginUrl = context.getProperty(PutSalesforce.LOGIN_URL).getValue();
        final String consumerKey = context.getProperty(PutSalesforce.CONSUMER_KEY).getValue();
        final TokenGrant grant = method == SalesforceAuthenticationMethod.JWT_BEARER
                ? new JwtBearerGrant(consumerKey, context.getProperty(PutSalesforce.USERNAME).getValue(), context.getProperty(PutSalesforce.JWT_AUDIENCE).getValue(),
                JwtBearerGrant.parsePrivateKey(context.getProperty(PutSalesforce.PRIVATE_KEY).getValue()), System::currentTimeMillis)
                : new ClientCredentialsGrant(consumerKey, context.getProperty(PutSalesforce.CONSUMER_SECRET).getValue());
        final SalesforceSession session = new SalesforceSession(tokenHttpClient.get(), loginUrl, grant, System::currentTimeMillis);
        return new SalesforceConnection(session, session::instanceUrl, version, loginUrl, session);
    }

    /**
     * @return why the PEM text is not a usable JWT signing key (unencrypted PKCS#8 RSA), or null when it is
     */
    public static String privateKeyProblem(final String pem) {
        try {
            JwtBearerGrant.parsePrivateKey(pem);
            return null;
        } catch (final IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * @return the credential: adds {@code Authorization}, renews the session after a 401 INVALID_SESSION_ID
     */
    public CredentialSource credential() {
        return credential;
    }

    /**
     * @return the URL that, with the credential's fingerprint, keys the rate budget shared with PutSalesforce (the login
     * URL, or the instance URL with an access token provider); API requests use absolute URLs
     */
    public String budgetUrl() {
        return budgetUrl;
    }

    public static RateLimitPolicy ratePolicy() {
        return RATE_POLICY;
    }

    /**
     * @return the org's instance URL (authenticating first when there is no session yet)
     * @throws SalesforceAuthenticationException when the token endpoint refuses or cannot be reached
     */
    public String instanceUrl() {
        return SalesforceSession.trimSlash(instanceUrl.get());
    }

    /**
     * @param path a path below {@code /services/data/vXX.X}, for example {@code /query?q=…}
     * @throws SalesforceAuthenticationException when the token endpoint refuses or cannot be reached
     */
    public String dataUrl(final String path) {
        return api.url(path);
    }

    /**
     * @param path an instance-relative path Salesforce returned, for example a query's {@code nextRecordsUrl}
     */
    public String instanceRelativeUrl(final String path) {
        return instanceUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    public String apiVersion() {
        return api.version();
    }

    /**
     * @return PutSalesforce's adapter for this sObject (Collections only): names the destination and reads
     * {@code Sforce-Limit-Info}, so requests of other processors are charged to the same budget
     */
    public DestinationAdapter destinationAdapter(final String sObject, final String field) {
        return new SalesforceAdapter(api, new SalesforceAdapter.Settings(sObject, field, 0, SalesforceAdapter.COLLECTION_LIMIT + 1, 1024 * 1024, 2_000, 30_000, 600_000));
    }

    SalesforceApi api() {
        return api;
    }

    /**
     * @return the session from the token endpoint, or null with an access token provider
     */
    SalesforceSession session() {
        return session;
    }

    /**
     * Releases the token endpoint's HTTP client.
     */
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "SalesforceConnection[" + budgetUrl + ", redacted]";
    }
}
