package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.DestinationSetup;
import dev.nifireverseetl.processors.engine.auth.AccessTokenProviderCredential;
import dev.nifireverseetl.processors.engine.auth.BearerTokenCredential;
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
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes records to HubSpot CRM objects in batches of 100, as fast as the account's rate limit allows.
 */
@Tags({"hubspot", "crm", "reverse etl", "put", "upsert", "record", "sync"})
@CapabilityDescription("Writes records to HubSpot CRM objects (contacts, companies, deals, tickets, custom objects) with the batch endpoints: upsert by a "
        + "unique property, update, create, and archive for rows DiffRecords marks as removed. Sends 100 records per request with several requests in flight, "
        + "inside the account's rate limit shared by every processor of the same account, retries transient errors, isolates records HubSpot rejects, and "
        + "routes every record by its own outcome. With a Sync State Service, records the sync state says were already accepted or are stale are not sent, "
        + "and exactly the versions HubSpot accepted are recorded.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@WritesAttributes({
        @WritesAttribute(attribute = "record.count", description = "Records in the outgoing FlowFile"),
        @WritesAttribute(attribute = "mime.type", description = "The Record Writer's MIME type"),
        @WritesAttribute(attribute = "retl.success.count", description = "Records of the input routed to success"),
        @WritesAttribute(attribute = "retl.failure.count", description = "Records of the input routed to failure"),
        @WritesAttribute(attribute = "retl.retry.count", description = "Records of the input routed to retry"),
        @WritesAttribute(attribute = "retl.superseded.count", description = "Records of the input routed to superseded"),
        @WritesAttribute(attribute = "retl.request.count", description = "Requests sent to HubSpot for the input"),
        @WritesAttribute(attribute = "retl.error.code", description = "On failure and retry FlowFiles: the first record's error code"),
        @WritesAttribute(attribute = "retl.error.message", description = "On failure and retry FlowFiles: the first record's error message (personal data redacted)"),
        @WritesAttribute(attribute = "retl.dry.run.requests", description = "Dry run: the requests in the FlowFile"),
        @WritesAttribute(attribute = "retl.dry.run.records", description = "Dry run: the records the requests cover")
})
public class PutHubSpot extends AbstractPutDestination {

    private static final Pattern OBJECT_TYPE = Pattern.compile("contacts|companies|deals|tickets|products|line_items|quotes|calls|emails|meetings|notes|tasks|\\d+-\\d+");
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    public static final PropertyDescriptor BASE_URL = new PropertyDescriptor.Builder()
            .name("Base URL")
            .description("HubSpot's API base URL.")
            .required(true)
            .defaultValue("https://api.hubapi.com")
            .addValidator(StandardValidators.URL_VALIDATOR)
            .build();

    public static final PropertyDescriptor API_PATH_PREFIX = new PropertyDescriptor.Builder()
            .name("API Path Prefix")
            .description("The objects path prefix: /crm/v3/objects, or a date-versioned one such as /crm/objects/2026-03 (same bodies).")
            .required(true)
            .defaultValue("/crm/v3/objects")
            .addValidator(StandardValidators.createRegexMatchingValidator(Pattern.compile("/[A-Za-z0-9_./-]+")))
            .build();

    public static final PropertyDescriptor OBJECT_TYPE_PROPERTY = new PropertyDescriptor.Builder()
            .name("Object Type")
            .description("contacts, companies, deals, tickets (or another standard object), or a custom object's type id such as 2-1234567.")
            .required(true)
            .defaultValue("contacts")
            .addValidator(StandardValidators.createRegexMatchingValidator(OBJECT_TYPE))
            .build();

    public static final PropertyDescriptor ID_PROPERTY = new PropertyDescriptor.Builder()
            .name("ID Property")
            .description("The HubSpot property the Match Key Field's values belong to: a property with unique values (hasUniqueValue), or email for contacts. "
                    + "Companies' domain is not unique: use a custom unique property such as warehouse_id.")
            .required(true)
            .defaultValue("email")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor AUTHENTICATION_STRATEGY = new PropertyDescriptor.Builder()
            .name("Authentication Strategy")
            .description("How to authenticate to HubSpot.")
            .required(true)
            .allowableValues(HubSpotAuthenticationStrategy.class)
            .defaultValue(HubSpotAuthenticationStrategy.ACCESS_TOKEN)
            .build();

    public static final PropertyDescriptor ACCESS_TOKEN = new PropertyDescriptor.Builder()
            .name("Access Token")
            .description("The private app's access token (needs the crm.objects.<type>.write and .read scopes).")
            .required(true)
            .sensitive(true)
            .dependsOn(AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.ACCESS_TOKEN)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor ACCESS_TOKEN_PROVIDER = new PropertyDescriptor.Builder()
            .name("OAuth2 Access Token Provider")
            .description("The service that supplies OAuth 2 access tokens.")
            .required(true)
            .identifiesControllerService(OAuth2AccessTokenProvider.class)
            .dependsOn(AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.OAUTH2)
            .build();

    public static final PropertyDescriptor RATE_LIMIT = new PropertyDescriptor.Builder()
            .name("Requests Per 10 Seconds")
            .description("The account's burst limit per app: 100 (Free, Starter), 190 (Professional, Enterprise), 250 (API limit increase), 110 (public OAuth apps). "
                    + "Lowered automatically when HubSpot's X-HubSpot-RateLimit-Max says less. Shared by every processor using the same token and base URL.")
            .required(true)
            .defaultValue("100")
            .addValidator(StandardValidators.createLongValidator(1, 10_000, true))
            .build();

    public static final PropertyDescriptor DAILY_LIMIT = new PropertyDescriptor.Builder()
            .name("Daily Request Limit")
            .description("The account's daily limit (250,000 Free/Starter, 650,000 Professional, 1,000,000 Enterprise), or 0 to rely on HubSpot's "
                    + "X-HubSpot-RateLimit-Daily-Remaining header and DAILY refusals only.")
            .required(true)
            .defaultValue("0")
            .addValidator(StandardValidators.createLongValidator(0, Long.MAX_VALUE, true))
            .build();

    public static final PropertyDescriptor DAILY_LIMIT_TIME_ZONE = new PropertyDescriptor.Builder()
            .name("Daily Limit Time Zone")
            .description("The HubSpot account's time zone: the daily limit resets at midnight there.")
            .required(true)
            .defaultValue("UTC")
            .addValidator((subject, input, context) -> {
                try {
                    ZoneId.of(input);
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
                } catch (final RuntimeException e) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(false)
                            .explanation("not a time zone id such as UTC or America/New_York").build();
                }
            })
            .build();

    private static final List<PropertyDescriptor> DESTINATION_PROPERTIES = List.of(BASE_URL, API_PATH_PREFIX, OBJECT_TYPE_PROPERTY, ID_PROPERTY,
            AUTHENTICATION_STRATEGY, ACCESS_TOKEN, ACCESS_TOKEN_PROVIDER, RATE_LIMIT, DAILY_LIMIT, DAILY_LIMIT_TIME_ZONE);

    @Override
    protected List<PropertyDescriptor> getDestinationPropertyDescriptors() {
        return DESTINATION_PROPERTIES;
    }

    @Override
    protected DestinationSetup createDestination(final PropertyContext context) {
        final String baseUrl = context.getProperty(BASE_URL).getValue();
        final HubSpotAdapter adapter = new HubSpotAdapter(context.getProperty(API_PATH_PREFIX).getValue(), context.getProperty(OBJECT_TYPE_PROPERTY).getValue(),
                context.getProperty(ID_PROPERTY).getValue());
        final CredentialSource credential;
        if (context.getProperty(AUTHENTICATION_STRATEGY).asAllowableValue(HubSpotAuthenticationStrategy.class) == HubSpotAuthenticationStrategy.OAUTH2) {
            final OAuth2AccessTokenProvider provider = context.getProperty(ACCESS_TOKEN_PROVIDER).asControllerService(OAuth2AccessTokenProvider.class);
            credential = new AccessTokenProviderCredential(provider, provider.getIdentifier() + "@" + baseUrl);
        } else {
            credential = new BearerTokenCredential(context.getProperty(ACCESS_TOKEN).getValue());
        }
        final RateLimitPolicy policy = new RateLimitPolicy(context.getProperty(RATE_LIMIT).asInteger(), 10_000, context.getProperty(DAILY_LIMIT).asLong());
        return new DestinationSetup(adapter, credential, baseUrl, policy, ZoneId.of(context.getProperty(DAILY_LIMIT_TIME_ZONE).getValue()));
    }

    @Override
    protected List<ConfigVerificationResult> verifyDestination(final ProcessContext context, final ComponentLog verificationLogger, final DestinationSetup setup,
                                                               final DestinationClient client) {
        final String objectType = context.getProperty(OBJECT_TYPE_PROPERTY).getValue();
        final String idProperty = context.getProperty(ID_PROPERTY).getValue();
        final String step = "Authenticate and check the ID Property";
        final HttpResponseData response;
        try {
            response = client.send(HttpRequestSpec.get("/crm/v3/properties/" + objectType + "/" + URLEncoder.encode(idProperty, StandardCharsets.UTF_8)));
        } catch (final IOException e) {
            return List.of(result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot is not reachable at the Base URL: " + e.getClass().getSimpleName()));
        }
        final String message = readMessage(response);
        return switch (response.status()) {
            case 200 -> {
                final JsonNode property = readJson(response);
                final boolean unique = property.path("hasUniqueValue").asBoolean(false) || ("contacts".equals(objectType) && "email".equals(idProperty));
                yield List.of(unique
                        ? result(step, ConfigVerificationResult.Outcome.SUCCESSFUL, "The token is valid; object type " + objectType + " has property " + idProperty
                        + " with unique values")
                        : result(step, ConfigVerificationResult.Outcome.FAILED, "Property " + idProperty + " of " + objectType
                        + " does not have unique values; HubSpot cannot upsert by it"));
            }
            case 401 -> List.of(result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot refused the token (401): " + message));
            case 403 -> List.of(result(step, ConfigVerificationResult.Outcome.FAILED, "The token lacks a scope (403): " + message));
            case 404 -> List.of(result(step, ConfigVerificationResult.Outcome.FAILED, "Object type " + objectType + " or property " + idProperty
                    + " does not exist (404): " + message));
            default -> List.of(result(step, ConfigVerificationResult.Outcome.FAILED, "HubSpot answered HTTP " + response.status() + ": " + message));
        };
    }

    private static ConfigVerificationResult result(final String step, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }

    private static JsonNode readJson(final HttpResponseData response) {
        try {
            return OBJECT_MAPPER.readTree(response.body());
        } catch (final IOException e) {
            return OBJECT_MAPPER.createObjectNode();
        }
    }

    private static String readMessage(final HttpResponseData response) {
        final JsonNode body = readJson(response);
        return body == null ? "" : body.path("message").asText("");
    }
}
