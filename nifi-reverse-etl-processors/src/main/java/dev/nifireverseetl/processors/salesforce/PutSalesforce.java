package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.DestinationSetup;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpClientFactory;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import okhttp3.OkHttpClient;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.DataUnit;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.proxy.ProxyConfiguration;
import org.apache.nifi.proxy.ProxyConfigurationService;
import org.apache.nifi.ssl.SSLContextProvider;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Writes records to any Salesforce sObject: upsert by External ID, update by Id, insert, delete of removed rows, with
 * per-record results. See additionalDetails.md.
 */
@Tags({"salesforce", "reverse etl", "sobject", "upsert", "bulk api", "crm", "put"})
@CapabilityDescription("Writes records to a Salesforce sObject (standard or custom): upsert by an External ID field, update by Salesforce Id, "
        + "insert, and delete (or ignore) rows DiffRecords marks as removed. Up to 200 records per API call through sObject Collections with "
        + "per-record results; above a configurable number of records per FlowFile, upserts go through Bulk API 2.0 ingest jobs whose per-row "
        + "results are mapped back to the records the same way. Each record is routed to success (with the Salesforce Id and whether it was "
        + "created), failure (with Salesforce's error code and message) or retry; the sync state advances only to versions Salesforce accepted. "
        + "Reads Sforce-Limit-Info and stops (yields) when the daily API allocation is spent instead of retrying.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@WritesAttributes({
        @WritesAttribute(attribute = "retl.success.count", description = "Records written (or already accepted in this version)"),
        @WritesAttribute(attribute = "retl.failure.count", description = "Records Salesforce rejected or that cannot be sent"),
        @WritesAttribute(attribute = "retl.retry.count", description = "Records not written for a transient reason, or because the daily allocation is spent"),
        @WritesAttribute(attribute = "retl.superseded.count", description = "Records replaced by a newer version of the same row"),
        @WritesAttribute(attribute = "retl.request.count", description = "API requests the FlowFile needed"),
        @WritesAttribute(attribute = "record.count", description = "Records in each outgoing FlowFile"),
        @WritesAttribute(attribute = "retl.error.code", description = "When no access token could be obtained: Salesforce's OAuth error (invalid_client, "
                + "invalid_grant, ...; the FlowFile goes to failure whole) or TOKEN_UNAVAILABLE (the token endpoint failed; the FlowFile goes to retry whole)"),
        @WritesAttribute(attribute = "retl.error.message", description = "Why the FlowFile was routed whole (no access token, or unreadable records)")
})
public class PutSalesforce extends AbstractPutDestination {

    private static final Pattern API_VERSION_PATTERN = Pattern.compile("^v\\d{2,3}\\.0$");
    private static final Pattern API_NAME_PATTERN = Pattern.compile("^[A-Za-z][A-Za-z0-9_]*$");
    private static final long MAXIMUM_UPLOAD_BYTES = 150L * 1024 * 1024;
    private static final long MAXIMUM_POLL_MILLIS = 30_000;

    public static final PropertyDescriptor AUTHENTICATION_METHOD = new PropertyDescriptor.Builder()
            .name("Authentication Method")
            .description("How the access token is obtained.")
            .required(true)
            .allowableValues(SalesforceAuthenticationMethod.class)
            .defaultValue(SalesforceAuthenticationMethod.CLIENT_CREDENTIALS)
            .build();

    public static final PropertyDescriptor LOGIN_URL = new PropertyDescriptor.Builder()
            .name("Login URL")
            .description("Where the token endpoint (/services/oauth2/token) is: the org's My Domain URL (https://acme.my.salesforce.com; required for "
                    + "client credentials), https://login.salesforce.com or https://test.salesforce.com (sandboxes). API calls go to the instance_url "
                    + "of the token response.")
            .required(true)
            .defaultValue("https://login.salesforce.com")
            .addValidator(StandardValidators.URL_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS, SalesforceAuthenticationMethod.JWT_BEARER)
            .build();

    public static final PropertyDescriptor CONSUMER_KEY = new PropertyDescriptor.Builder()
            .name("Consumer Key")
            .description("The consumer key (client id) of the external client app.")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS, SalesforceAuthenticationMethod.JWT_BEARER)
            .build();

    public static final PropertyDescriptor CONSUMER_SECRET = new PropertyDescriptor.Builder()
            .name("Consumer Secret")
            .description("The consumer secret (client secret) of the external client app.")
            .required(true)
            .sensitive(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS)
            .build();

    public static final PropertyDescriptor USERNAME = new PropertyDescriptor.Builder()
            .name("Username")
            .description("The Salesforce username the JWT bearer token acts as (the sub claim).")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER)
            .build();

    public static final PropertyDescriptor PRIVATE_KEY = new PropertyDescriptor.Builder()
            .name("Private Key")
            .description("The RSA private key that signs the JWT assertion, as unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----). Its certificate "
                    + "is uploaded to the app.")
            .required(true)
            .sensitive(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER)
            .build();

    public static final PropertyDescriptor JWT_AUDIENCE = new PropertyDescriptor.Builder()
            .name("JWT Audience")
            .description("The aud claim: https://login.salesforce.com for production, https://test.salesforce.com for sandboxes.")
            .required(true)
            .defaultValue("https://login.salesforce.com")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER)
            .build();

    public static final PropertyDescriptor ACCESS_TOKEN_PROVIDER = new PropertyDescriptor.Builder()
            .name("OAuth2 Access Token Provider")
            .description("The service that supplies (and refreshes) the access token.")
            .required(true)
            .identifiesControllerService(OAuth2AccessTokenProvider.class)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.ACCESS_TOKEN_PROVIDER)
            .build();

    public static final PropertyDescriptor INSTANCE_URL = new PropertyDescriptor.Builder()
            .name("Instance URL")
            .description("The org's API host, for example https://acme.my.salesforce.com (the token provider does not say it).")
            .required(true)
            .addValidator(StandardValidators.URL_VALIDATOR)
            .dependsOn(AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.ACCESS_TOKEN_PROVIDER)
            .build();

    public static final PropertyDescriptor API_VERSION = new PropertyDescriptor.Builder()
            .name("API Version")
            .description("The REST API version, for example v62.0 (upsert through sObject Collections needs v46.0 or later).")
            .required(true)
            .defaultValue("v62.0")
            .addValidator(StandardValidators.createRegexMatchingValidator(API_VERSION_PATTERN))
            .build();

    public static final PropertyDescriptor SOBJECT = new PropertyDescriptor.Builder()
            .name("sObject")
            .description("The API name of the object to write, standard or custom, for example Contact or Invoice__c.")
            .required(true)
            .addValidator(StandardValidators.createRegexMatchingValidator(API_NAME_PATTERN))
            .build();

    public static final PropertyDescriptor EXTERNAL_ID_FIELD = new PropertyDescriptor.Builder()
            .name("External ID Field")
            .description("The API name of the sObject's External ID field that holds the Match Key Field's value (for example Warehouse_Id__c). "
                    + "Upserts match on it; updates and deletes look Ids up by it when the sync state does not know them.")
            .required(true)
            .addValidator(StandardValidators.createRegexMatchingValidator(API_NAME_PATTERN))
            .build();

    public static final PropertyDescriptor BULK_THRESHOLD = new PropertyDescriptor.Builder()
            .name("Bulk API Threshold")
            .description("Upserts of more records than this in one FlowFile go through Bulk API 2.0 ingest jobs instead of sObject Collections "
                    + "(Salesforce advises Bulk above about 2,000 records). Values under 200 count as 200. 0 never uses Bulk API 2.0.")
            .required(true)
            .defaultValue("2000")
            .addValidator(StandardValidators.NON_NEGATIVE_INTEGER_VALIDATOR)
            .build();

    public static final PropertyDescriptor BULK_MAX_RECORDS = new PropertyDescriptor.Builder()
            .name("Bulk Batch Max Records")
            .description("The most records handed to Bulk API 2.0 at once; they are held in memory until their job results are read. Within a batch, "
                    + "records are cut into as few jobs as the Bulk Upload Size Limit allows.")
            .required(true)
            .defaultValue("100000")
            .addValidator(StandardValidators.createLongValidator(201, 10_000_000, true))
            .build();

    public static final PropertyDescriptor BULK_UPLOAD_LIMIT = new PropertyDescriptor.Builder()
            .name("Bulk Upload Size Limit")
            .description("The most CSV bytes one Bulk job's upload holds. Salesforce accepts 150 MB per upload and advises 100 MB of raw data, as "
                    + "the data grows when Salesforce encodes it.")
            .required(true)
            .defaultValue("100 MB")
            .addValidator(StandardValidators.DATA_SIZE_VALIDATOR)
            .build();

    public static final PropertyDescriptor BULK_POLL_INTERVAL = new PropertyDescriptor.Builder()
            .name("Bulk Poll Interval")
            .description("How long to wait before the first poll of a Bulk job's state; the wait doubles on each poll up to 30 seconds.")
            .required(true)
            .defaultValue("2 sec")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor BULK_JOB_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Bulk Job Timeout")
            .description("How long Bulk API 2.0 jobs may stay queued or in progress after their upload is complete. When it passes, the unfinished "
                    + "jobs are aborted (best effort) and all records of the batch go to retry with code BULK_JOB_TIMEOUT: none is reported "
                    + "written, so the sync state does not advance for them (upserts are idempotent, so rows a job still wrote do no harm). "
                    + "Each attempt (see Max Retries) waits at most this long.")
            .required(true)
            .defaultValue("10 min")
            .addValidator(StandardValidators.createTimePeriodValidator(1, TimeUnit.SECONDS, 24, TimeUnit.HOURS))
            .dependsOn(BULK_THRESHOLD)
            .build();

    private static final List<PropertyDescriptor> DESTINATION_PROPERTIES = List.of(AUTHENTICATION_METHOD, LOGIN_URL, CONSUMER_KEY, CONSUMER_SECRET, USERNAME,
            PRIVATE_KEY, JWT_AUDIENCE, ACCESS_TOKEN_PROVIDER, INSTANCE_URL, API_VERSION, SOBJECT, EXTERNAL_ID_FIELD, BULK_THRESHOLD, BULK_MAX_RECORDS,
            BULK_UPLOAD_LIMIT, BULK_POLL_INTERVAL, BULK_JOB_TIMEOUT);

    private final ThreadLocal<Boolean> verifying = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicReference<SalesforceSession> lastVerificationSession = new AtomicReference<>();
    private volatile SalesforceSession session;

    @Override
    protected List<PropertyDescriptor> getDestinationPropertyDescriptors() {
        return DESTINATION_PROPERTIES;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>(super.customValidate(context));
        final Double uploadLimit = context.getProperty(BULK_UPLOAD_LIMIT).asDataSize(DataUnit.B);
        if (uploadLimit != null && (uploadLimit > MAXIMUM_UPLOAD_BYTES || uploadLimit < 1024)) {
            results.add(new ValidationResult.Builder().subject(BULK_UPLOAD_LIMIT.getName()).valid(false)
                    .explanation("must be between 1 KB and 150 MB, the most Salesforce accepts in one upload").build());
        }
        if (context.getProperty(AUTHENTICATION_METHOD).asAllowableValue(SalesforceAuthenticationMethod.class) == SalesforceAuthenticationMethod.JWT_BEARER
                && context.getProperty(PRIVATE_KEY).isSet()) {
            try {
                JwtBearerGrant.parsePrivateKey(context.getProperty(PRIVATE_KEY).getValue());
            } catch (final IllegalArgumentException e) {
                results.add(new ValidationResult.Builder().subject(PRIVATE_KEY.getName()).valid(false).explanation(e.getMessage()).build());
            }
        }
        return results;
    }

    @Override
    protected DestinationSetup createDestination(final PropertyContext context) {
        final SalesforceConnection connection = SalesforceConnection.create(context, AUTHENTICATION_METHOD, ACCESS_TOKEN_PROVIDER, () -> tokenHttpClient(context));
        final SalesforceSession newSession = connection.session();
        if (newSession != null) {
            if (verifying.get()) {
                lastVerificationSession.set(newSession);
            } else {
                closeSession();
                session = newSession;
            }
        }
        final SalesforceAdapter.Settings settings = new SalesforceAdapter.Settings(
                context.getProperty(SOBJECT).getValue(),
                context.getProperty(EXTERNAL_ID_FIELD).getValue(),
                context.getProperty(BULK_THRESHOLD).asInteger(),
                context.getProperty(BULK_MAX_RECORDS).asInteger(),
                context.getProperty(BULK_UPLOAD_LIMIT).asDataSize(DataUnit.B).longValue(),
                context.getProperty(BULK_POLL_INTERVAL).asTimePeriod(TimeUnit.MILLISECONDS),
                MAXIMUM_POLL_MILLIS,
                context.getProperty(BULK_JOB_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS));
        return new DestinationSetup(new SalesforceAdapter(connection.api(), settings), connection.credential(), connection.budgetUrl(), SalesforceConnection.ratePolicy(),
                ZoneOffset.UTC);
    }

    private static OkHttpClient tokenHttpClient(final PropertyContext context) {
        final SSLContextProvider sslContextProvider = context.getProperty(SSL_CONTEXT_SERVICE).asControllerService(SSLContextProvider.class);
        final ProxyConfigurationService proxyService = context.getProperty(PROXY_CONFIGURATION_SERVICE).asControllerService(ProxyConfigurationService.class);
        final ProxyConfiguration proxy = proxyService == null ? null : proxyService.getConfiguration();
        return HttpClientFactory.create(sslContextProvider, proxy, Duration.ofMillis(context.getProperty(CONNECT_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)),
                Duration.ofMillis(context.getProperty(READ_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)), 1);
    }

    /**
     * Obtains the access token first (lazily: never in {@code @OnScheduled}, so the processor starts while the token
     * endpoint is down). Without a token the FlowFile is routed whole: to retry (penalized, and the processor yields)
     * when the token endpoint failed for a transient reason, to failure with Salesforce's OAuth error when it refused
     * the credentials. A token that cannot be renewed in the middle of a FlowFile rolls the FlowFile back (penalized);
     * the versions Salesforce accepted before are in the sync state, so it is not written twice.
     */
    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) throws ProcessException {
        final SalesforceSession current = this.session;
        if (current != null) {
            try {
                current.ensureSession();
            } catch (final SalesforceAuthenticationException e) {
                routeWithoutToken(context, session, e);
                return;
            }
        }
        try {
            super.onTrigger(context, session);
        } catch (final SalesforceAuthenticationException e) {
            session.rollback(true);
            context.yield();
            getLogger().error("No Salesforce access token could be obtained while writing ({}); the FlowFile was rolled back and will be processed again",
                    e.getMessage());
        }
    }

    private void routeWithoutToken(final ProcessContext context, final ProcessSession session, final SalesforceAuthenticationException failure) {
        FlowFile flowFile = session.get();
        context.yield();
        if (flowFile == null) {
            getLogger().warn("No Salesforce access token could be obtained: {}", failure.getMessage());
            return;
        }
        flowFile = session.putAttribute(flowFile, "retl.error.code", failure.errorCode());
        flowFile = session.putAttribute(flowFile, "retl.error.message", "No Salesforce access token: " + failure.getMessage());
        if (failure.isTransient()) {
            getLogger().warn("No Salesforce access token could be obtained; routing {} to retry: {}", flowFile, failure.getMessage());
            session.transfer(session.penalize(flowFile), REL_RETRY);
        } else {
            getLogger().error("Salesforce refused the credentials; routing {} to failure: {}", flowFile, failure.getMessage());
            session.transfer(flowFile, REL_FAILURE);
        }
        session.adjustCounter("Token Failures", 1, false);
    }

    @OnStopped
    public void closeSession() {
        final SalesforceSession current = session;
        session = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public List<ConfigVerificationResult> verify(final ProcessContext context, final ComponentLog verificationLogger, final Map<String, String> attributes) {
        verifying.set(Boolean.TRUE);
        try {
            return super.verify(context, verificationLogger, attributes);
        } finally {
            verifying.remove();
            final SalesforceSession verificationSession = lastVerificationSession.getAndSet(null);
            if (verificationSession != null) {
                verificationSession.close();
            }
        }
    }

    @Override
    protected List<ConfigVerificationResult> verifyDestination(final ProcessContext context, final ComponentLog verificationLogger, final DestinationSetup setup,
                                                               final DestinationClient client) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final String sObject = context.getProperty(SOBJECT).getValue();
        final String externalIdField = context.getProperty(EXTERNAL_ID_FIELD).getValue();
        final String version = context.getProperty(API_VERSION).getValue();
        final String describeUrl;
        try {
            setup.credential().authorizationHeader();
            final String instanceUrl = setup.credential() instanceof SalesforceSession salesforceSession
                    ? salesforceSession.instanceUrl() : SalesforceSession.trimSlash(context.getProperty(INSTANCE_URL).getValue());
            describeUrl = instanceUrl + "/services/data/" + version + "/sobjects/" + sObject + "/describe";
            results.add(step("Authenticate", ConfigVerificationResult.Outcome.SUCCESSFUL, "Obtained an access token; API calls go to " + instanceUrl));
        } catch (final RuntimeException e) {
            results.add(step("Authenticate", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
            results.add(step("Describe sObject", ConfigVerificationResult.Outcome.SKIPPED, "Authentication failed"));
            results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.SKIPPED, "Authentication failed"));
            return results;
        }
        final JsonNode describe;
        try {
            final HttpResponseData response = client.send(HttpRequestSpec.get(describeUrl));
            if (!response.isSuccessful()) {
                results.add(step("Describe sObject", ConfigVerificationResult.Outcome.FAILED, "Salesforce answered HTTP " + response.status() + " for "
                        + sObject + " (API " + version + "): " + SalesforceErrors.classify(response, false).code()));
                results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.SKIPPED, "The sObject could not be described"));
                return results;
            }
            describe = SalesforceErrors.OBJECT_MAPPER.readTree(response.body());
            results.add(step("Describe sObject", ConfigVerificationResult.Outcome.SUCCESSFUL, sObject + " exists with " + describe.path("fields").size()
                    + " fields (API " + version + "); " + SalesforceErrors.limitFeedback(response).dailyRemaining() + " API requests left today"));
        } catch (final IOException | RuntimeException e) {
            results.add(step("Describe sObject", ConfigVerificationResult.Outcome.FAILED, "Cannot describe " + sObject + ": " + e.getMessage()));
            results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.SKIPPED, "The sObject could not be described"));
            return results;
        }
        JsonNode field = null;
        for (final JsonNode candidate : describe.path("fields")) {
            if (candidate.path("name").asText().equalsIgnoreCase(externalIdField)) {
                field = candidate;
            }
        }
        if (field == null) {
            results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.FAILED, sObject + " has no field " + externalIdField));
        } else if (!field.path("externalId").asBoolean(false)) {
            results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.FAILED, externalIdField
                    + " is not flagged External ID: Salesforce cannot upsert or look records up by it"));
        } else {
            results.add(step("Check External ID Field", ConfigVerificationResult.Outcome.SUCCESSFUL, externalIdField + " is an External ID field"
                    + (field.path("unique").asBoolean(false) ? " (unique)" : " (not unique: duplicates fail with DUPLICATE_EXTERNAL_ID)")));
        }
        return results;
    }

    private static ConfigVerificationResult step(final String name, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(name).outcome(outcome).explanation(explanation).build();
    }
}
