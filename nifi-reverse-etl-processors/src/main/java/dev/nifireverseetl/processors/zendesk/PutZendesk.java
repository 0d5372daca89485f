package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.DestinationSetup;
import dev.nifireverseetl.processors.engine.auth.AccessTokenProviderCredential;
import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

@Tags({"zendesk", "reverse etl", "sync", "users", "organizations", "put", "record", "upsert"})
@CapabilityDescription("Writes records to Zendesk Support as users (create_or_update_many, matched by external_id or email) or organizations "
        + "(matched by external_id), 100 per request, and follows every background job Zendesk starts until it ends: each record leaves with "
        + "Zendesk's own per-record result (Created, Updated or Failed with Zendesk's error). A job that dies, expires or never completes sends its "
        + "records to retry, never to success. Removed rows suspend or delete the user, or are ignored. Requests stay within the plan's per-minute "
        + "limit (corrected by Zendesk's X-Rate-Limit headers) and the 30 queued-jobs limit; 429 answers are waited out as Retry-After says. "
        + "With a Sync State Service, accepted row versions and Zendesk ids are recorded for DiffRecords.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@WritesAttributes({
        @WritesAttribute(attribute = "retl.success.count", description = "Records Zendesk accepted (on the success FlowFile: all outcome counts of the input)"),
        @WritesAttribute(attribute = "retl.failure.count", description = "Records Zendesk rejected or that could not be sent"),
        @WritesAttribute(attribute = "retl.retry.count", description = "Records not written for a transient reason (job died, expired or timed out, 5xx, 429 beyond the wait)"),
        @WritesAttribute(attribute = "retl.superseded.count", description = "Records not sent because a newer version of the row exists"),
        @WritesAttribute(attribute = "retl.request.count", description = "Requests sent, job-status polls and lookups included"),
        @WritesAttribute(attribute = "record.count", description = "Records in the outgoing FlowFile"),
        @WritesAttribute(attribute = "mime.type", description = "The Record Writer's MIME type")
})
public class PutZendesk extends AbstractPutDestination {

    public static final PropertyDescriptor AUTHENTICATION_METHOD = new PropertyDescriptor.Builder()
            .name("Authentication Method")
            .description("How requests are authenticated.")
            .required(true)
            .allowableValues(ZendeskAuthenticationMethod.class)
            .defaultValue(ZendeskAuthenticationMethod.API_TOKEN)
            .build();

    public static final PropertyDescriptor AGENT_EMAIL = new PropertyDescriptor.Builder()
            .name("Agent Email")
            .description("The email of the admin (or agent allowed to manage users) the API token belongs to.")
            .required(true)
            .dependsOn(AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.API_TOKEN)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor API_TOKEN = new PropertyDescriptor.Builder()
            .name("API Token")
            .description("A Zendesk API token (Admin Center > Apps and integrations > Zendesk API). Sent as Basic {email}/token:{token}.")
            .required(true)
            .sensitive(true)
            .dependsOn(AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.API_TOKEN)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor ACCESS_TOKEN_PROVIDER = new PropertyDescriptor.Builder()
            .name("OAuth2 Access Token Provider")
            .description("Supplies OAuth access tokens for Zendesk (scopes users:write, organizations:write and read).")
            .required(true)
            .identifiesControllerService(OAuth2AccessTokenProvider.class)
            .dependsOn(AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.OAUTH)
            .build();

    public static final PropertyDescriptor SUBDOMAIN = new PropertyDescriptor.Builder()
            .name("Subdomain")
            .description("The account's subdomain: acme for https://acme.zendesk.com. Either this or Base URL is required.")
            .required(false)
            .addValidator((subject, input, context) -> new ValidationResult.Builder().subject(subject).input(input)
                    .valid(ZendeskUrls.subdomainProblem(input) == null).explanation(ZendeskUrls.subdomainProblem(input)).build())
            .build();

    public static final PropertyDescriptor BASE_URL = new PropertyDescriptor.Builder()
            .name("Base URL")
            .description("The account's URL when it is not {subdomain}.zendesk.com (a host-mapped domain or a proxy), for example "
                    + "https://support.acme.com. Wins over Subdomain. The API is reached under /api/v2 of it.")
            .required(false)
            .addValidator((subject, input, context) -> new ValidationResult.Builder().subject(subject).input(input)
                    .valid(ZendeskUrls.baseUrlProblem(input) == null).explanation(ZendeskUrls.baseUrlProblem(input)).build())
            .build();

    public static final PropertyDescriptor OBJECT_TYPE = new PropertyDescriptor.Builder()
            .name("Object Type")
            .description("The Zendesk object the records become.")
            .required(true)
            .allowableValues(ZendeskObjectType.class)
            .defaultValue(ZendeskObjectType.USERS)
            .build();

    public static final PropertyDescriptor USER_MATCH_FIELD = new PropertyDescriptor.Builder()
            .name("User Match Field")
            .description("The Zendesk user identity that the Match Key Field's value is: Zendesk matches users by external_id or email "
                    + "(case-insensitively). Organizations always match by external_id.")
            .required(true)
            .allowableValues(UserMatchField.class)
            .defaultValue(UserMatchField.EXTERNAL_ID)
            .dependsOn(OBJECT_TYPE, ZendeskObjectType.USERS)
            .build();

    public static final PropertyDescriptor USER_REMOVAL_ACTION = new PropertyDescriptor.Builder()
            .name("User Removal Action")
            .description("What removing a user means when Removed Records asks for removals.")
            .required(true)
            .allowableValues(UserRemovalAction.class)
            .defaultValue(UserRemovalAction.SUSPEND)
            .dependsOn(OBJECT_TYPE, ZendeskObjectType.USERS)
            .build();

    public static final PropertyDescriptor REQUESTS_PER_MINUTE = new PropertyDescriptor.Builder()
            .name("Requests Per Minute")
            .description("The account's API limit: Team 200, Growth and Professional 400, Enterprise 700, Enterprise Plus or the High Volume add-on "
                    + "2500. Every request counts, job-status polls and lookups included; all PutZendesk processors of one account share it, and it is "
                    + "corrected by the X-Rate-Limit and X-Rate-Limit-Remaining headers Zendesk returns. Leave room for other integrations.")
            .required(true)
            .defaultValue("400")
            .addValidator(StandardValidators.createLongValidator(1, 100_000, true))
            .build();

    public static final PropertyDescriptor JOB_POLL_INTERVAL = new PropertyDescriptor.Builder()
            .name("Job Poll Interval")
            .description("The shortest wait between polls of a job's status. The first poll waits about as long as recent jobs took; later polls "
                    + "double the wait up to Max Job Poll Interval. One poll (job_statuses/show_many) asks for every job of the processor in flight, "
                    + "and the processor sends at most one poll per this interval, however many batches are in flight.")
            .required(true)
            .defaultValue("1 sec")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor MAX_JOB_POLL_INTERVAL = new PropertyDescriptor.Builder()
            .name("Max Job Poll Interval")
            .description("The longest wait between polls of a job's status.")
            .required(true)
            .defaultValue("10 sec")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor JOB_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Job Timeout")
            .description("How long a job may stay queued or working before its records are sent again (upserts are idempotent, so a late job "
                    + "does no harm). Zendesk keeps job results for a limited time only.")
            .required(true)
            .defaultValue("10 min")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    /** Zendesk accepts at most 30 jobs queued or running per account. */
    static final int ZENDESK_JOB_LIMIT = 30;

    private static final List<PropertyDescriptor> DESTINATION_PROPERTIES = List.of(AUTHENTICATION_METHOD, AGENT_EMAIL, API_TOKEN, ACCESS_TOKEN_PROVIDER,
            SUBDOMAIN, BASE_URL, OBJECT_TYPE, USER_MATCH_FIELD, USER_REMOVAL_ACTION, REQUESTS_PER_MINUTE, JOB_POLL_INTERVAL, MAX_JOB_POLL_INTERVAL,
            JOB_TIMEOUT);

    @Override
    protected List<PropertyDescriptor> getDestinationPropertyDescriptors() {
        return DESTINATION_PROPERTIES;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>(super.customValidate(context));
        if (!context.getProperty(SUBDOMAIN).isSet() && !context.getProperty(BASE_URL).isSet()) {
            results.add(new ValidationResult.Builder().subject(SUBDOMAIN.getName()).valid(false)
                    .explanation("either Subdomain or Base URL is required").build());
        }
        final Integer concurrent = context.getProperty(MAX_CONCURRENT_REQUESTS).asInteger();
        if (concurrent != null && concurrent > ZENDESK_JOB_LIMIT) {
            results.add(new ValidationResult.Builder().subject(MAX_CONCURRENT_REQUESTS.getName()).input(String.valueOf(concurrent)).valid(false)
                    .explanation("each request in flight holds one Zendesk job, and Zendesk allows at most " + ZENDESK_JOB_LIMIT
                            + " jobs queued or running per account").build());
        }
        final Long minimumPoll = context.getProperty(JOB_POLL_INTERVAL).asTimePeriod(TimeUnit.MILLISECONDS);
        final Long maximumPoll = context.getProperty(MAX_JOB_POLL_INTERVAL).asTimePeriod(TimeUnit.MILLISECONDS);
        if (minimumPoll != null && maximumPoll != null && (minimumPoll < 1 || maximumPoll < minimumPoll)) {
            results.add(new ValidationResult.Builder().subject(MAX_JOB_POLL_INTERVAL.getName()).valid(false)
                    .explanation("must be at least Job Poll Interval (and Job Poll Interval at least 1 ms)").build());
        }
        return results;
    }

    @Override
    protected DestinationSetup createDestination(final PropertyContext context) {
        final String baseUrl = ZendeskUrls.baseUrl(context.getProperty(SUBDOMAIN).getValue(), context.getProperty(BASE_URL).getValue());
        final long pollInterval = context.getProperty(JOB_POLL_INTERVAL).asTimePeriod(TimeUnit.MILLISECONDS);
        final JobPollSchedule schedule = new JobPollSchedule(pollInterval, context.getProperty(MAX_JOB_POLL_INTERVAL).asTimePeriod(TimeUnit.MILLISECONDS));
        final ZendeskObjectType objectType = context.getProperty(OBJECT_TYPE).asAllowableValue(ZendeskObjectType.class);
        final UserMatchField matchField = objectType == ZendeskObjectType.USERS
                ? context.getProperty(USER_MATCH_FIELD).asAllowableValue(UserMatchField.class) : UserMatchField.EXTERNAL_ID;
        final UserRemovalAction removalAction = objectType == ZendeskObjectType.USERS
                ? context.getProperty(USER_REMOVAL_ACTION).asAllowableValue(UserRemovalAction.class) : UserRemovalAction.SUSPEND;
        final ZendeskSettings settings = new ZendeskSettings(objectType, matchField, removalAction, schedule,
                context.getProperty(JOB_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS), new ZendeskJobBoard(Math.max(1, pollInterval)));
        final RateLimitPolicy policy = new RateLimitPolicy(context.getProperty(REQUESTS_PER_MINUTE).asInteger(), ZendeskFailures.MINUTE, 0);
        return new DestinationSetup(new ZendeskAdapter(settings), credential(context, baseUrl), baseUrl, policy, ZoneOffset.UTC);
    }

    private static CredentialSource credential(final PropertyContext context, final String baseUrl) {
        if (context.getProperty(AUTHENTICATION_METHOD).asAllowableValue(ZendeskAuthenticationMethod.class) == ZendeskAuthenticationMethod.OAUTH) {
            final OAuth2AccessTokenProvider provider = context.getProperty(ACCESS_TOKEN_PROVIDER).asControllerService(OAuth2AccessTokenProvider.class);
            return new AccessTokenProviderCredential(provider, "zendesk:" + baseUrl);
        }
        return new ZendeskApiTokenCredential(context.getProperty(AGENT_EMAIL).getValue(), context.getProperty(API_TOKEN).getValue());
    }

    /**
     * Checks the credentials and the subdomain ({@code GET /api/v2/users/me}), the role, and for users whether bulk user import is
     * enabled: an empty {@code create_or_update_many} writes nothing and answers 403 only when bulk import is disabled.
     */
    @Override
    protected List<ConfigVerificationResult> verifyDestination(final ProcessContext context, final ComponentLog verificationLogger, final DestinationSetup setup,
                                                               final DestinationClient client) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final HttpResponseData me;
        try {
            me = client.send(HttpRequestSpec.get("/api/v2/users/me"));
        } catch (final IOException e) {
            results.add(result("Authenticate", ConfigVerificationResult.Outcome.FAILED, "Cannot reach " + setup.baseUrl() + ": " + e.getMessage()
                    + " (check Subdomain or Base URL, and the proxy)"));
            results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.SKIPPED, "Authentication failed"));
            return results;
        }
        if (!me.isSuccessful()) {
            results.add(result("Authenticate", ConfigVerificationResult.Outcome.FAILED, "Zendesk answered HTTP " + me.status() + " at " + setup.baseUrl()
                    + (me.status() == 401 ? ": the credentials were refused (check Agent Email and API Token, and that token access is enabled in Admin Center)"
                    : me.status() == 404 ? ": no Zendesk account at this address (check Subdomain or Base URL)" : "")));
            results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.SKIPPED, "Authentication failed"));
            return results;
        }
        final String role = readRole(me);
        final boolean mayWrite = "admin".equals(role) || "agent".equals(role);
        results.add(result("Authenticate", mayWrite ? ConfigVerificationResult.Outcome.SUCCESSFUL : ConfigVerificationResult.Outcome.FAILED,
                "Authenticated at " + setup.baseUrl() + " with role " + role + (mayWrite ? "" : "; writing users and organizations needs an admin or an agent")));
        if (context.getProperty(OBJECT_TYPE).asAllowableValue(ZendeskObjectType.class) != ZendeskObjectType.USERS) {
            results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.SKIPPED, "Object Type is organizations"));
            return results;
        }
        try {
            final HttpResponseData probe = client.send(HttpRequestSpec.json("POST", "/api/v2/users/create_or_update_many", "{\"users\":[]}"));
            if (probe.status() == 403) {
                results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.FAILED, "Zendesk answered 403 to users/create_or_update_many: bulk user "
                        + "import is not enabled for this account (the account owner must ask Zendesk Customer Support), or the role may not manage users"));
            } else {
                results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.SUCCESSFUL, "users/create_or_update_many is allowed (an empty probe "
                        + "answered HTTP " + probe.status() + ")"));
            }
        } catch (final IOException e) {
            results.add(result("Bulk User Import", ConfigVerificationResult.Outcome.FAILED, "The probe request failed: " + e.getMessage()));
        }
        return results;
    }

    private static String readRole(final HttpResponseData me) {
        try {
            final JsonNode user = ZendeskPayloads.MAPPER.readTree(me.body()).path("user");
            return user.path("role").asText("unknown");
        } catch (final IOException e) {
            return "unknown";
        }
    }

    private static ConfigVerificationResult result(final String step, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }
}
