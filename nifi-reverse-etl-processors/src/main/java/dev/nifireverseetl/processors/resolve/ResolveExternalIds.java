package dev.nifireverseetl.processors.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.BatchSender;
import dev.nifireverseetl.processors.engine.EngineSettings;
import dev.nifireverseetl.processors.engine.RemovalMode;
import dev.nifireverseetl.processors.engine.RetryPolicy;
import dev.nifireverseetl.processors.engine.SyncMode;
import dev.nifireverseetl.processors.engine.auth.AccessTokenProviderCredential;
import dev.nifireverseetl.processors.engine.auth.BearerTokenCredential;
import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpClientFactory;
import dev.nifireverseetl.processors.engine.http.RequestThreads;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.ClusterShare;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudget;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudgetRegistry;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitScope;
import dev.nifireverseetl.processors.hubspot.HubSpotAdapter;
import dev.nifireverseetl.processors.hubspot.HubSpotAuthenticationStrategy;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.processors.salesforce.PutSalesforce;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.processors.salesforce.SalesforceConnection;
import dev.nifireverseetl.processors.zendesk.JobPollSchedule;
import dev.nifireverseetl.processors.zendesk.PutZendesk;
import dev.nifireverseetl.processors.zendesk.UserMatchField;
import dev.nifireverseetl.processors.zendesk.UserRemovalAction;
import dev.nifireverseetl.processors.zendesk.ZendeskAdapter;
import dev.nifireverseetl.processors.zendesk.ZendeskApiTokenCredential;
import dev.nifireverseetl.processors.zendesk.ZendeskAuthenticationMethod;
import dev.nifireverseetl.processors.zendesk.ZendeskObjectType;
import dev.nifireverseetl.processors.zendesk.ZendeskSettings;
import dev.nifireverseetl.processors.zendesk.ZendeskUrls;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import okhttp3.OkHttpClient;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDependency;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.proxy.ProxyConfiguration;
import org.apache.nifi.proxy.ProxyConfigurationService;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.ssl.SSLContextProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

@Tags({"reverse etl", "hubspot", "zendesk", "salesforce", "soql", "lookup", "id resolution", "record", "sync"})
@CapabilityDescription("Finds the destination record id of each record by a matching field (HubSpot: a unique property or email via batch/read; "
        + "Zendesk: external_id via show_many, or email via users/search; Salesforce: any filterable text field of any sObject via SOQL IN) and adds it as _retl_destination_id (and optionally to an Output Field). "
        + "Ids are cached per sync and row key (_retl_key) in the Sync State Service, filled by lookups and by the Put processors' write results, so "
        + "steady-state runs make no lookups. Lookups are batched and share the destination's rate budget with the Put processors.")
@SeeAlso({PutHubSpot.class, PutZendesk.class, PutSalesforce.class})
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@WritesAttributes({
        @WritesAttribute(attribute = "resolve.matched.count", description = "Records of the input matched to exactly one destination record"),
        @WritesAttribute(attribute = "resolve.unmatched.count", description = "Records of the input without a destination record"),
        @WritesAttribute(attribute = "resolve.ambiguous.count", description = "Records of the input whose match value several destination records hold"),
        @WritesAttribute(attribute = "resolve.failure.count", description = "Records of the input that could not be resolved as configured"),
        @WritesAttribute(attribute = "resolve.retry.count", description = "Records of the input whose lookup failed for a transient reason"),
        @WritesAttribute(attribute = "resolve.cache.hit.count", description = "Records resolved from the id cache without a lookup"),
        @WritesAttribute(attribute = "resolve.request.count", description = "Lookup requests sent for the input"),
        @WritesAttribute(attribute = "retl.error.code", description = "The first error code of the records in this FlowFile"),
        @WritesAttribute(attribute = "retl.error.message", description = "The first error message of the records in this FlowFile"),
        @WritesAttribute(attribute = "record.count", description = "Records in the outgoing FlowFile"),
        @WritesAttribute(attribute = "mime.type", description = "The Record Writer's MIME type")
})
public class ResolveExternalIds extends AbstractProcessor implements VerifiableProcessor {

    public static final PropertyDescriptor DESTINATION = new PropertyDescriptor.Builder()
            .name("Destination")
            .description("The destination whose record ids are looked up.")
            .required(true)
            .allowableValues(ResolveDestination.class)
            .defaultValue(ResolveDestination.HUBSPOT)
            .build();

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the records whose destination ids are resolved.")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the records with _retl_destination_id, _retl_error_code and _retl_error_message added (and the Output Field, if set).")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor SYNC_STATE_SERVICE = new PropertyDescriptor.Builder()
            .name("Sync State Service")
            .description("Holds the id cache: row key (_retl_key) to destination id, per sync. Shared with DiffRecords and the Put processors, which "
                    + "record the ids their writes return and drop ids that proved stale.")
            .identifiesControllerService(SyncStateService.class)
            .required(true)
            .build();

    public static final PropertyDescriptor SYNC_ID = new PropertyDescriptor.Builder()
            .name("Sync ID")
            .description("The sync whose id cache is used: the same Sync ID as DiffRecords and the Put processor.")
            .required(true)
            .defaultValue("${sync.id}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor MATCH_FIELD = new PropertyDescriptor.Builder()
            .name("Match Field")
            .description("The record field whose value identifies the destination record, for example email or warehouse_id.")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor DESTINATION_MATCH_PROPERTY = new PropertyDescriptor.Builder()
            .name("Destination Match Property")
            .description("The destination field the Match Field's values are compared with. HubSpot: a property with unique values (hasUniqueValue), "
                    + "or email for contacts. Zendesk: external_id, or email (users only). Salesforce: the API name of any filterable text field of the "
                    + "sObject (string, email, phone, url, picklist, id, reference), for example Warehouse_Id__c or Email; a field that is not unique "
                    + "can match several records, which go to ambiguous.")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor OBJECT_TYPE = new PropertyDescriptor.Builder()
            .name("Object Type")
            .description("HubSpot: contacts, companies, deals, tickets (or another object type, or a custom object's id such as 2-1234567). "
                    + "Zendesk: users or organizations.")
            .required(true)
            .addValidator(StandardValidators.createRegexMatchingValidator(Pattern.compile("[A-Za-z0-9_-]+")))
            .dependsOn(DESTINATION, ResolveDestination.HUBSPOT, ResolveDestination.ZENDESK)
            .build();

    public static final PropertyDescriptor OUTPUT_FIELD = new PropertyDescriptor.Builder()
            .name("Output Field")
            .description("A record field that also receives the destination id (for example hubspot_id), besides _retl_destination_id.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor BASE_URL = new PropertyDescriptor.Builder()
            .name("Base URL")
            .description("HubSpot: the API base URL (https://api.hubapi.com when not set). Zendesk: the account URL when it is not "
                    + "{subdomain}.zendesk.com; wins over Subdomain.")
            .required(false)
            .addValidator(StandardValidators.URL_VALIDATOR)
            .dependsOn(DESTINATION, ResolveDestination.HUBSPOT, ResolveDestination.ZENDESK)
            .build();

    public static final PropertyDescriptor HUBSPOT_API_PATH_PREFIX = forDestination(PutHubSpot.API_PATH_PREFIX, ResolveDestination.HUBSPOT);
    public static final PropertyDescriptor HUBSPOT_AUTHENTICATION_STRATEGY = forDestination(PutHubSpot.AUTHENTICATION_STRATEGY, ResolveDestination.HUBSPOT);
    public static final PropertyDescriptor HUBSPOT_ACCESS_TOKEN = forDestination(PutHubSpot.ACCESS_TOKEN, ResolveDestination.HUBSPOT);
    public static final PropertyDescriptor HUBSPOT_RATE_LIMIT = forDestination(PutHubSpot.RATE_LIMIT, ResolveDestination.HUBSPOT);
    public static final PropertyDescriptor HUBSPOT_DAILY_LIMIT = forDestination(PutHubSpot.DAILY_LIMIT, ResolveDestination.HUBSPOT);
    public static final PropertyDescriptor HUBSPOT_DAILY_LIMIT_TIME_ZONE = forDestination(PutHubSpot.DAILY_LIMIT_TIME_ZONE, ResolveDestination.HUBSPOT);

    public static final PropertyDescriptor ZENDESK_AUTHENTICATION_METHOD = forDestination(PutZendesk.AUTHENTICATION_METHOD, ResolveDestination.ZENDESK);
    public static final PropertyDescriptor ZENDESK_AGENT_EMAIL = forDestination(PutZendesk.AGENT_EMAIL, ResolveDestination.ZENDESK);
    public static final PropertyDescriptor ZENDESK_API_TOKEN = forDestination(PutZendesk.API_TOKEN, ResolveDestination.ZENDESK);
    public static final PropertyDescriptor ZENDESK_SUBDOMAIN = forDestination(PutZendesk.SUBDOMAIN, ResolveDestination.ZENDESK);
    public static final PropertyDescriptor ZENDESK_REQUESTS_PER_MINUTE = forDestination(PutZendesk.REQUESTS_PER_MINUTE, ResolveDestination.ZENDESK);

    /**
     * PutSalesforce's Authentication Method, renamed: Zendesk's Authentication Method already has that name here.
     */
    public static final PropertyDescriptor SALESFORCE_AUTHENTICATION_METHOD = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(PutSalesforce.AUTHENTICATION_METHOD)
            .name("Salesforce Authentication Method")
            .dependsOn(DESTINATION, ResolveDestination.SALESFORCE)
            .build();
    public static final PropertyDescriptor SALESFORCE_LOGIN_URL = forSalesforce(PutSalesforce.LOGIN_URL);
    public static final PropertyDescriptor SALESFORCE_CONSUMER_KEY = forSalesforce(PutSalesforce.CONSUMER_KEY);
    public static final PropertyDescriptor SALESFORCE_CONSUMER_SECRET = forSalesforce(PutSalesforce.CONSUMER_SECRET);
    public static final PropertyDescriptor SALESFORCE_USERNAME = forSalesforce(PutSalesforce.USERNAME);
    public static final PropertyDescriptor SALESFORCE_PRIVATE_KEY = forSalesforce(PutSalesforce.PRIVATE_KEY);
    public static final PropertyDescriptor SALESFORCE_JWT_AUDIENCE = forSalesforce(PutSalesforce.JWT_AUDIENCE);
    public static final PropertyDescriptor SALESFORCE_INSTANCE_URL = forSalesforce(PutSalesforce.INSTANCE_URL);
    public static final PropertyDescriptor SALESFORCE_API_VERSION = forSalesforce(PutSalesforce.API_VERSION);
    public static final PropertyDescriptor SALESFORCE_SOBJECT = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(forSalesforce(PutSalesforce.SOBJECT))
            .description("The API name of the object whose records are looked up, standard or custom, for example Contact or Invoice__c.")
            .build();

    public static final PropertyDescriptor ACCESS_TOKEN_PROVIDER = new PropertyDescriptor.Builder()
            .name("OAuth2 Access Token Provider")
            .description("Supplies OAuth access tokens, when the Authentication Strategy (HubSpot), Authentication Method (Zendesk) or Salesforce "
                    + "Authentication Method (Access Token Provider, with the Instance URL) asks for it.")
            .required(false)
            .identifiesControllerService(OAuth2AccessTokenProvider.class)
            .build();

    public static final PropertyDescriptor BATCH_SIZE = new PropertyDescriptor.Builder()
            .name("Batch Size")
            .description("Records whose ids are read from the cache in one call, and the most values per lookup request (capped by the destination's "
                    + "maximum: HubSpot 100, Zendesk show_many 100, Zendesk email search 1, Salesforce 200 and about 14,000 characters of encoded IN list).")
            .required(true)
            .defaultValue("100")
            .addValidator(StandardValidators.createLongValidator(1, 10_000, true))
            .build();

    public static final Relationship REL_MATCHED = new Relationship.Builder().name("matched")
            .description("Records matched to exactly one destination record, with _retl_destination_id set (from the cache or a lookup).").build();
    public static final Relationship REL_UNMATCHED = new Relationship.Builder().name("unmatched")
            .description("Records no destination record matches: connect to the Put processor to create them, or auto-terminate to drop them.").build();
    public static final Relationship REL_AMBIGUOUS = new Relationship.Builder().name("ambiguous")
            .description("Records whose match value several destination records hold; none is guessed. _retl_error_message lists the ids.").build();
    public static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("Records without a match value, and records whose lookup the destination refused (bad credentials, scope, object type or "
                    + "property), with _retl_error_code and _retl_error_message. Input that cannot be read goes here whole.").build();
    public static final Relationship REL_RETRY = new Relationship.Builder().name("retry")
            .description("Records whose lookup failed for a transient reason after the bounded retries, or while a daily limit is spent. Penalized.").build();

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_MATCHED, REL_UNMATCHED, REL_AMBIGUOUS, REL_FAILURE, REL_RETRY);
    private static final Map<ResolveRoute, Relationship> ROUTES = new EnumMap<>(Map.of(ResolveRoute.MATCHED, REL_MATCHED, ResolveRoute.UNMATCHED,
            REL_UNMATCHED, ResolveRoute.AMBIGUOUS, REL_AMBIGUOUS, ResolveRoute.FAILURE, REL_FAILURE, ResolveRoute.RETRY, REL_RETRY));
    private static final Map<ResolveRoute, String> COUNTERS = new EnumMap<>(Map.of(ResolveRoute.MATCHED, "Records Matched", ResolveRoute.UNMATCHED,
            "Records Unmatched", ResolveRoute.AMBIGUOUS, "Records Ambiguous", ResolveRoute.FAILURE, "Records Failed", ResolveRoute.RETRY, "Records To Retry"));
    private static final Pattern HUBSPOT_OBJECT_TYPE = Pattern.compile("contacts|companies|deals|tickets|products|line_items|quotes|calls|emails|meetings|notes|tasks|\\d+-\\d+");
    private static final String HUBSPOT_DEFAULT_BASE_URL = "https://api.hubapi.com";
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final Pattern SALESFORCE_API_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]*$");

    private static final List<PropertyDescriptor> PROPERTIES = List.of(DESTINATION, RECORD_READER, RECORD_WRITER, SYNC_STATE_SERVICE, SYNC_ID, MATCH_FIELD,
            DESTINATION_MATCH_PROPERTY, OBJECT_TYPE, OUTPUT_FIELD, BASE_URL, HUBSPOT_API_PATH_PREFIX, HUBSPOT_AUTHENTICATION_STRATEGY, HUBSPOT_ACCESS_TOKEN,
            HUBSPOT_RATE_LIMIT, HUBSPOT_DAILY_LIMIT, HUBSPOT_DAILY_LIMIT_TIME_ZONE, ZENDESK_AUTHENTICATION_METHOD, ZENDESK_AGENT_EMAIL, ZENDESK_API_TOKEN,
            ZENDESK_SUBDOMAIN, ZENDESK_REQUESTS_PER_MINUTE, SALESFORCE_AUTHENTICATION_METHOD, SALESFORCE_LOGIN_URL, SALESFORCE_CONSUMER_KEY,
            SALESFORCE_CONSUMER_SECRET, SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY, SALESFORCE_JWT_AUDIENCE, SALESFORCE_INSTANCE_URL, SALESFORCE_API_VERSION,
            SALESFORCE_SOBJECT, ACCESS_TOKEN_PROVIDER, BATCH_SIZE, AbstractPutDestination.MAX_CONCURRENT_REQUESTS,
            AbstractPutDestination.MAX_RETRIES, AbstractPutDestination.RETRY_BACKOFF, AbstractPutDestination.MAX_RATE_LIMIT_WAIT,
            AbstractPutDestination.CONNECT_TIMEOUT, AbstractPutDestination.READ_TIMEOUT, AbstractPutDestination.SSL_CONTEXT_SERVICE,
            AbstractPutDestination.PROXY_CONFIGURATION_SERVICE);

    private volatile LookupSetup setup;
    private volatile LookupSender sender;
    private volatile RateBudget budget;
    private volatile ClusterShare clusterShare;
    private volatile OkHttpClient httpClient;
    private volatile ExecutorService requestThreads;

    private static PropertyDescriptor forDestination(final PropertyDescriptor descriptor, final ResolveDestination destination) {
        return new PropertyDescriptor.Builder().fromPropertyDescriptor(descriptor).dependsOn(DESTINATION, destination).build();
    }

    /**
     * A PutSalesforce property, shown for Salesforce only; its dependencies on PutSalesforce's Authentication Method
     * point at the renamed Salesforce Authentication Method.
     */
    private static PropertyDescriptor forSalesforce(final PropertyDescriptor descriptor) {
        final PropertyDescriptor.Builder builder = new PropertyDescriptor.Builder().fromPropertyDescriptor(descriptor).clearDependsOn()
                .dependsOn(DESTINATION, ResolveDestination.SALESFORCE);
        for (final PropertyDependency dependency : descriptor.getDependencies()) {
            if (!PutSalesforce.AUTHENTICATION_METHOD.getName().equals(dependency.getPropertyName())) {
                throw new IllegalStateException("Unexpected dependency of " + descriptor.getName() + " on " + dependency.getPropertyName());
            }
            final List<String> values = new ArrayList<>(dependency.getDependentValues());
            builder.dependsOn(SALESFORCE_AUTHENTICATION_METHOD, values.getFirst(), values.subList(1, values.size()).toArray(new String[0]));
        }
        return builder.build();
    }

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        final ResolveDestination destination = context.getProperty(DESTINATION).asAllowableValue(ResolveDestination.class);
        final String objectType = destination == ResolveDestination.SALESFORCE ? null : context.getProperty(OBJECT_TYPE).getValue();
        final String matchProperty = context.getProperty(DESTINATION_MATCH_PROPERTY).getValue();
        if (destination == ResolveDestination.HUBSPOT) {
            if (objectType != null && !HUBSPOT_OBJECT_TYPE.matcher(objectType).matches()) {
                results.add(invalid(OBJECT_TYPE, "HubSpot object types are contacts, companies, deals, tickets, ... or a custom object id such as 2-1234567"));
            }
            if (context.getProperty(HUBSPOT_AUTHENTICATION_STRATEGY).asAllowableValue(HubSpotAuthenticationStrategy.class) == HubSpotAuthenticationStrategy.OAUTH2
                    && !context.getProperty(ACCESS_TOKEN_PROVIDER).isSet()) {
                results.add(invalid(ACCESS_TOKEN_PROVIDER, "required by the OAuth2 Authentication Strategy"));
            }
        } else if (destination == ResolveDestination.SALESFORCE) {
            if (matchProperty != null && !SALESFORCE_API_NAME.matcher(matchProperty.trim()).matches()) {
                results.add(invalid(DESTINATION_MATCH_PROPERTY, "Salesforce fields are API names such as Email or Warehouse_Id__c"));
            }
            if (context.getProperty(SALESFORCE_AUTHENTICATION_METHOD).asAllowableValue(SalesforceAuthenticationMethod.class)
                    == SalesforceAuthenticationMethod.ACCESS_TOKEN_PROVIDER && !context.getProperty(ACCESS_TOKEN_PROVIDER).isSet()) {
                results.add(invalid(ACCESS_TOKEN_PROVIDER, "required by the Access Token Provider Salesforce Authentication Method"));
            }
            if (context.getProperty(SALESFORCE_AUTHENTICATION_METHOD).asAllowableValue(SalesforceAuthenticationMethod.class) == SalesforceAuthenticationMethod.JWT_BEARER
                    && context.getProperty(SALESFORCE_PRIVATE_KEY).isSet()) {
                final String problem = SalesforceConnection.privateKeyProblem(context.getProperty(SALESFORCE_PRIVATE_KEY).getValue());
                if (problem != null) {
                    results.add(invalid(SALESFORCE_PRIVATE_KEY, problem));
                }
            }
        } else {
            final ZendeskObjectType zendeskType = zendeskObjectType(objectType);
            if (zendeskType == null) {
                results.add(invalid(OBJECT_TYPE, "Zendesk object types are users or organizations"));
            }
            if (!"external_id".equals(matchProperty) && !"email".equals(matchProperty)) {
                results.add(invalid(DESTINATION_MATCH_PROPERTY, "Zendesk matches by external_id or email"));
            } else if ("email".equals(matchProperty) && zendeskType == ZendeskObjectType.ORGANIZATIONS) {
                results.add(invalid(DESTINATION_MATCH_PROPERTY, "Zendesk organizations match by external_id only"));
            }
            if (!context.getProperty(ZENDESK_SUBDOMAIN).isSet() && !context.getProperty(BASE_URL).isSet()) {
                results.add(invalid(ZENDESK_SUBDOMAIN, "either Subdomain or Base URL is required"));
            }
            if (context.getProperty(ZENDESK_AUTHENTICATION_METHOD).asAllowableValue(ZendeskAuthenticationMethod.class) == ZendeskAuthenticationMethod.OAUTH
                    && !context.getProperty(ACCESS_TOKEN_PROVIDER).isSet()) {
                results.add(invalid(ACCESS_TOKEN_PROVIDER, "required by the OAuth access token Authentication Method"));
            }
        }
        return results;
    }

    private static ValidationResult invalid(final PropertyDescriptor property, final String explanation) {
        return new ValidationResult.Builder().subject(property.getName()).valid(false).explanation(explanation).build();
    }

    private static ZendeskObjectType zendeskObjectType(final String value) {
        for (final ZendeskObjectType type : ZendeskObjectType.values()) {
            if (type.getValue().equals(value)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Builds the lookup adapter with the same credential, base URL and plan limits as the destination's Put processor.
     */
    static LookupSetup createSetup(final PropertyContext context) {
        final ResolveDestination destination = context.getProperty(DESTINATION).asAllowableValue(ResolveDestination.class);
        final String objectType = destination == ResolveDestination.SALESFORCE ? null : context.getProperty(OBJECT_TYPE).getValue();
        final String matchProperty = context.getProperty(DESTINATION_MATCH_PROPERTY).getValue().trim();
        if (destination == ResolveDestination.HUBSPOT) {
            final String baseUrl = context.getProperty(BASE_URL).isSet() ? context.getProperty(BASE_URL).getValue() : HUBSPOT_DEFAULT_BASE_URL;
            final HubSpotAdapter adapter = new HubSpotAdapter(context.getProperty(HUBSPOT_API_PATH_PREFIX).getValue(), objectType, matchProperty);
            final CredentialSource credential;
            if (context.getProperty(HUBSPOT_AUTHENTICATION_STRATEGY).asAllowableValue(HubSpotAuthenticationStrategy.class) == HubSpotAuthenticationStrategy.OAUTH2) {
                final OAuth2AccessTokenProvider provider = context.getProperty(ACCESS_TOKEN_PROVIDER).asControllerService(OAuth2AccessTokenProvider.class);
                credential = new AccessTokenProviderCredential(provider, provider.getIdentifier() + "@" + baseUrl);
            } else {
                credential = new BearerTokenCredential(context.getProperty(HUBSPOT_ACCESS_TOKEN).getValue());
            }
            final RateLimitPolicy policy = new RateLimitPolicy(context.getProperty(HUBSPOT_RATE_LIMIT).asInteger(), 10_000,
                    context.getProperty(HUBSPOT_DAILY_LIMIT).asLong());
            return new LookupSetup(new HubSpotLookup(adapter), credential, baseUrl, policy,
                    ZoneId.of(context.getProperty(HUBSPOT_DAILY_LIMIT_TIME_ZONE).getValue()));
        }
        if (destination == ResolveDestination.SALESFORCE) {
            final SalesforceConnection connection = SalesforceConnection.create(context, SALESFORCE_AUTHENTICATION_METHOD, ACCESS_TOKEN_PROVIDER,
                    () -> buildHttpClient(context, 1));
            return new LookupSetup(new SalesforceLookup(connection, context.getProperty(SALESFORCE_SOBJECT).getValue(), matchProperty), connection.credential(),
                    connection.budgetUrl(), SalesforceConnection.ratePolicy(), ZoneOffset.UTC, connection::close);
        }
        final String baseUrl = ZendeskUrls.baseUrl(context.getProperty(ZENDESK_SUBDOMAIN).getValue(), context.getProperty(BASE_URL).getValue());
        final ZendeskObjectType zendeskType = zendeskObjectType(objectType);
        if (zendeskType == null) {
            throw new IllegalArgumentException("Zendesk object types are users or organizations");
        }
        final boolean byEmail = "email".equals(matchProperty);
        final ZendeskSettings settings = new ZendeskSettings(zendeskType, byEmail ? UserMatchField.EMAIL : UserMatchField.EXTERNAL_ID,
                UserRemovalAction.SUSPEND, new JobPollSchedule(1_000, 10_000), 600_000);
        final CredentialSource credential;
        if (context.getProperty(ZENDESK_AUTHENTICATION_METHOD).asAllowableValue(ZendeskAuthenticationMethod.class) == ZendeskAuthenticationMethod.OAUTH) {
            final OAuth2AccessTokenProvider provider = context.getProperty(ACCESS_TOKEN_PROVIDER).asControllerService(OAuth2AccessTokenProvider.class);
            credential = new AccessTokenProviderCredential(provider, "zendesk:" + baseUrl);
        } else {
            credential = new ZendeskApiTokenCredential(context.getProperty(ZENDESK_AGENT_EMAIL).getValue(), context.getProperty(ZENDESK_API_TOKEN).getValue());
        }
        final RateLimitPolicy policy = new RateLimitPolicy(context.getProperty(ZENDESK_REQUESTS_PER_MINUTE).asInteger(), 60_000, 0);
        return new LookupSetup(new ZendeskLookup(new ZendeskAdapter(settings), zendeskType, byEmail), credential, baseUrl, policy, ZoneOffset.UTC);
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) {
        final LookupSetup lookupSetup = createSetup(context);
        final int maxConcurrent = context.getProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS).asInteger();
        httpClient = buildHttpClient(context, maxConcurrent);
        final DestinationClient client = new DestinationClient(httpClient, lookupSetup.baseUrl(), lookupSetup.credential());
        // lookups share this node's budget of the account with the Put processors, and its share of a cluster-wide limit
        clusterShare = new ClusterShare(getNodeTypeProvider(), RateLimitScope.PER_NODE_SHARE);
        budget = RateBudgetRegistry.budgetFor(clusterShare.nodeIdentity(), lookupSetup.baseUrl(), lookupSetup.credential().accountFingerprint(),
                lookupSetup.ratePolicy(), lookupSetup.dailyResetZone());
        clusterShare.applyTo(budget);
        final long backoff = context.getProperty(AbstractPutDestination.RETRY_BACKOFF).asTimePeriod(TimeUnit.MILLISECONDS);
        final EngineSettings settings = new EngineSettings(SyncMode.UPSERT, RemovalMode.IGNORE, false, Map.of(), false, maxConcurrent,
                new RetryPolicy(context.getProperty(AbstractPutDestination.MAX_RETRIES).asInteger(), backoff, Math.max(backoff, 30_000)), 20,
                context.getProperty(AbstractPutDestination.MAX_RATE_LIMIT_WAIT).asTimePeriod(TimeUnit.MILLISECONDS));
        sender = new LookupSender(lookupSetup.adapter(), new BatchSender(lookupSetup.adapter().writeAdapter(), client, budget, settings), client);
        final int threads = maxConcurrent * Math.max(1, context.getMaxConcurrentTasks());
        requestThreads = RequestThreads.start(threads, "ResolveExternalIds-" + getIdentifier() + "-lookup-");
        setup = lookupSetup;
    }

    @OnStopped
    public void onStopped() {
        RequestThreads.stop(requestThreads, getLogger());
        HttpClientFactory.close(httpClient);
        final LookupSetup current = setup;
        if (current != null) {
            current.release().run();
        }
        requestThreads = null;
        httpClient = null;
        sender = null;
        setup = null;
    }

    private static OkHttpClient buildHttpClient(final PropertyContext context, final int maxConcurrent) {
        final SSLContextProvider sslContextProvider = context.getProperty(AbstractPutDestination.SSL_CONTEXT_SERVICE).asControllerService(SSLContextProvider.class);
        final ProxyConfigurationService proxyService = context.getProperty(AbstractPutDestination.PROXY_CONFIGURATION_SERVICE)
                .asControllerService(ProxyConfigurationService.class);
        final ProxyConfiguration proxy = proxyService == null ? null : proxyService.getConfiguration();
        return HttpClientFactory.create(sslContextProvider, proxy,
                Duration.ofMillis(context.getProperty(AbstractPutDestination.CONNECT_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)),
                Duration.ofMillis(context.getProperty(AbstractPutDestination.READ_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)), maxConcurrent);
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) throws ProcessException {
        clusterShare.refreshIfDue(budget);
        final long dailyReset = budget.dailyExhaustedUntil();
        if (dailyReset > 0) {
            getLogger().warn("The {} daily request limit is spent; lookups resume at {}", setup.adapter().writeAdapter().destinationName(),
                    Instant.ofEpochMilli(dailyReset));
            context.yield();
            return;
        }
        final FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final SyncStateService stateService = context.getProperty(SYNC_STATE_SERVICE).asControllerService(SyncStateService.class);
        final String syncId = context.getProperty(SYNC_ID).evaluateAttributeExpressions(flowFile).getValue();
        if (syncId == null || syncId.isBlank()) {
            getLogger().error("{} has no Sync ID (the Sync ID property evaluated to nothing); routing it to failure", flowFile);
            session.transfer(session.putAttribute(flowFile, "retl.error.message", "The Sync ID property evaluated to an empty value"), REL_FAILURE);
            return;
        }
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final String matchField = context.getProperty(MATCH_FIELD).getValue();
        final String outputField = context.getProperty(OUTPUT_FIELD).getValue();
        final long started = System.nanoTime();
        ResolveOutput output = null;
        final ResolveSummary summary;
        try (InputStream in = session.read(flowFile);
             RecordReader reader = readerFactory.createRecordReader(flowFile, in, getLogger())) {
            output = new ResolveOutput(session, flowFile, writerFactory, reader.getSchema(), outputField, getLogger());
            final ResolveJob job = new ResolveJob(setup.adapter(), sender, stateService, syncId, context.getProperty(BATCH_SIZE).asInteger(),
                    context.getProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS).asInteger(), requestThreads, output::accept);
            Record record;
            while ((record = reader.nextRecord()) != null) {
                job.add(new PendingRecord(record, text(record, SyncRecordFields.KEY), text(record, matchField), text(record, SyncRecordFields.DESTINATION_ID)));
            }
            summary = job.finish();
        } catch (final MalformedRecordException | SchemaNotFoundException | IOException | UncheckedIOException e) {
            if (output != null) {
                output.discard();
            }
            getLogger().error("Cannot read the records of {}; routing it to failure", flowFile, e);
            session.transfer(session.putAttribute(flowFile, "retl.error.message", "Cannot read the records: " + e.getMessage()), REL_FAILURE);
            return;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(output);
            throw new ProcessException("Interrupted while looking up destination ids", e);
        } catch (final SyncStateException e) {
            discard(output);
            throw new ProcessException("The id cache could not be read or written; the FlowFile will be processed again", e);
        }
        finish(context, session, flowFile, output, summary, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void discard(final ResolveOutput output) {
        if (output != null) {
            output.discard();
        }
    }

    private static String text(final Record record, final String field) {
        final Object value = record.getValue(field);
        if (value == null) {
            return null;
        }
        final String text = value.toString();
        return text.isBlank() ? null : text;
    }

    private void finish(final ProcessContext context, final ProcessSession session, final FlowFile flowFile, final ResolveOutput output,
                        final ResolveSummary summary, final long millis) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put("resolve.matched.count", String.valueOf(summary.count(ResolveRoute.MATCHED)));
        attributes.put("resolve.unmatched.count", String.valueOf(summary.count(ResolveRoute.UNMATCHED)));
        attributes.put("resolve.ambiguous.count", String.valueOf(summary.count(ResolveRoute.AMBIGUOUS)));
        attributes.put("resolve.failure.count", String.valueOf(summary.count(ResolveRoute.FAILURE)));
        attributes.put("resolve.retry.count", String.valueOf(summary.count(ResolveRoute.RETRY)));
        attributes.put("resolve.cache.hit.count", String.valueOf(summary.cacheHits()));
        attributes.put("resolve.request.count", String.valueOf(summary.requests()));
        final String transitUri = summary.endpoints().isEmpty() ? null : summary.endpoints().iterator().next();
        try {
            output.complete(ROUTES, attributes, transitUri, millis);
        } catch (final IOException e) {
            output.discard();
            throw new ProcessException("Cannot finish the resolved FlowFiles", e);
        }
        session.remove(flowFile);
        for (final Map.Entry<ResolveRoute, String> counter : COUNTERS.entrySet()) {
            final long count = summary.count(counter.getKey());
            if (count > 0) {
                session.adjustCounter(counter.getValue(), count, false);
            }
        }
        session.adjustCounter("Cache Hits", summary.cacheHits(), false);
        session.adjustCounter("Lookup Requests", summary.requests(), false);
        if (summary.firstRejection() != null) {
            getLogger().error("{} refused lookups for {}; first error: {}", setup.adapter().writeAdapter().destinationName(), flowFile, summary.firstRejection());
        }
        if (summary.dailyLimitResetAt() > 0) {
            context.yield();
        }
    }

    @Override
    public List<ConfigVerificationResult> verify(final ProcessContext context, final ComponentLog verificationLogger, final Map<String, String> attributes) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final LookupSetup lookupSetup;
        try {
            lookupSetup = createSetup(context);
        } catch (final RuntimeException e) {
            results.add(result("Configure destination", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
            return results;
        }
        final OkHttpClient client = buildHttpClient(context, 1);
        try {
            final DestinationClient destinationClient = new DestinationClient(client, lookupSetup.baseUrl(), lookupSetup.credential());
            final ResolveDestination destination = context.getProperty(DESTINATION).asAllowableValue(ResolveDestination.class);
            switch (destination) {
                case HUBSPOT -> results.add(verifyHubSpot(context, destinationClient));
                case ZENDESK -> results.add(verifyZendesk(context, lookupSetup, destinationClient));
                case SALESFORCE -> results.addAll(SalesforceVerification.verify(context.getProperty(SALESFORCE_SOBJECT).getValue(),
                        context.getProperty(DESTINATION_MATCH_PROPERTY).getValue().trim(), lookupSetup, destinationClient));
            }
        } finally {
            HttpClientFactory.close(client);
            lookupSetup.release().run();
        }
        return results;
    }

    /**
     * Authenticates and checks that the object type has the match property, with unique values (HubSpot's batch/read needs them).
     */
    private static ConfigVerificationResult verifyHubSpot(final ProcessContext context, final DestinationClient client) {
        final String step = "Authenticate and check the Destination Match Property";
        final String objectType = context.getProperty(OBJECT_TYPE).getValue();
        final String property = context.getProperty(DESTINATION_MATCH_PROPERTY).getValue().trim();
        final HttpResponseData response;
        try {
            response = client.send(HttpRequestSpec.get("/crm/v3/properties/" + objectType + "/" + URLEncoder.encode(property, StandardCharsets.UTF_8)));
        } catch (final IOException e) {
            return result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot is not reachable at the Base URL: " + e.getClass().getSimpleName());
        }
        final JsonNode body = readJson(response);
        final String message = body.path("message").asText("");
        return switch (response.status()) {
            case 200 -> body.path("hasUniqueValue").asBoolean(false) || ("contacts".equals(objectType) && "email".equals(property))
                    ? result(step, ConfigVerificationResult.Outcome.SUCCESSFUL, "The token is valid; " + objectType + " has property " + property + " with unique values")
                    : result(step, ConfigVerificationResult.Outcome.FAILED, "Property " + property + " of " + objectType
                    + " does not have unique values; HubSpot's batch/read cannot look records up by it");
            case 401 -> result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot refused the token (401): " + message);
            case 403 -> result(step, ConfigVerificationResult.Outcome.FAILED, "The token lacks a scope (403, crm.objects." + objectType + ".read is needed): " + message);
            case 404 -> result(step, ConfigVerificationResult.Outcome.FAILED, "Object type " + objectType + " or property " + property + " does not exist (404): " + message);
            default -> result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot answered HTTP " + response.status() + ": " + message);
        };
    }

    /**
     * Authenticates and sends one lookup for a value no record holds: checks the credential, the account URL and the object type.
     */
    private static ConfigVerificationResult verifyZendesk(final ProcessContext context, final LookupSetup lookupSetup, final DestinationClient client) {
        final String step = "Authenticate and look up " + context.getProperty(OBJECT_TYPE).getValue() + " by " + context.getProperty(DESTINATION_MATCH_PROPERTY).getValue();
        final HttpResponseData response;
        try {
            response = client.send(lookupSetup.adapter().buildLookup(List.of("retl-verification-probe@example.invalid")));
        } catch (final IOException e) {
            return result(step, ConfigVerificationResult.Outcome.FAILED, "Cannot reach " + lookupSetup.baseUrl() + ": " + e.getClass().getSimpleName()
                    + " (check Subdomain or Base URL, and the proxy)");
        }
        if (response.isSuccessful()) {
            return result(step, ConfigVerificationResult.Outcome.SUCCESSFUL, "Authenticated at " + lookupSetup.baseUrl() + "; the lookup endpoint answered");
        }
        return result(step, ConfigVerificationResult.Outcome.FAILED, "Zendesk answered HTTP " + response.status() + " at " + lookupSetup.baseUrl()
                + (response.status() == 401 ? ": the credentials were refused (check Agent Email and API Token)"
                : response.status() == 404 ? ": no Zendesk account at this address (check Subdomain or Base URL)" : ""));
    }

    private static JsonNode readJson(final HttpResponseData response) {
        try {
            final JsonNode node = OBJECT_MAPPER.readTree(response.body());
            return node == null ? OBJECT_MAPPER.createObjectNode() : node;
        } catch (final IOException e) {
            return OBJECT_MAPPER.createObjectNode();
        }
    }

    private static ConfigVerificationResult result(final String step, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }
}
