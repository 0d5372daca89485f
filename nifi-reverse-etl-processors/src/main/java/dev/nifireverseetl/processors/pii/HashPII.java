package dev.nifireverseetl.processors.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.annotation.behavior.DynamicProperty;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@SideEffectFree
@SupportsBatching
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"reverse etl", "pii", "hash", "sha-256", "hmac", "normalize", "e.164", "meta", "facebook", "google ads", "customer match", "tiktok", "record"})
@CapabilityDescription("Normalises and hashes the personal data fields of each record exactly as an advertising platform requires"
        + " (Meta Custom Audiences, Google Ads Customer Match and Enhanced Conversions, TikTok, or generic SHA-256): emails, phone numbers"
        + " (to E.164 with libphonenumber), names, city, state, postal code, country, date of birth, gender and external ids."
        + " Values already hashed (64 hex characters) are kept as they are; external ids can be keyed-hashed with HMAC-SHA256."
        + " A record holding a value that cannot be normalised goes to failure with the field and the rule it broke (never the value),"
        + " or has that field cleared. Fields whose names start with _retl_ pass through untouched.")
@DynamicProperty(name = "A field name, or a nested path such as /contact/email",
        value = "The field type: email, phone, first_name, last_name, city, state, zip, country, date_of_birth, gender or external_id",
        description = "Normalises the field by the Preset's rule for that type and replaces its value with the result (hashed unless the platform takes it in the clear)",
        expressionLanguageScope = ExpressionLanguageScope.NONE)
@WritesAttributes({
    @WritesAttribute(attribute = "record.count", description = "The number of records in the outgoing FlowFile"),
    @WritesAttribute(attribute = "mime.type", description = "The MIME type of the Record Writer"),
    @WritesAttribute(attribute = "hashpii.hashed.count", description = "Values hashed (SHA-256 or HMAC) in the incoming FlowFile's records"),
    @WritesAttribute(attribute = "hashpii.already.hashed.count", description = "Values kept because they already were 64 hex characters"),
    @WritesAttribute(attribute = "hashpii.invalid.count", description = "Values that could not be normalised (in failed records, or cleared)"),
    @WritesAttribute(attribute = "hashpii.error.message", description = "On a FlowFile whose records could not be read: why")
})
public class HashPII extends AbstractProcessor {

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the incoming records")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the records to success and failure. Hashed fields are written as strings.")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor PRESET = new PropertyDescriptor.Builder()
            .name("Preset")
            .description("The destination whose published normalisation and hashing rules are applied. The rules per field type are listed in the"
                    + " processor's additional details.")
            .allowableValues(HashPreset.class)
            .required(true)
            .build();

    public static final PropertyDescriptor DEFAULT_PHONE_REGION = new PropertyDescriptor.Builder()
            .name("Default Phone Region")
            .description("The ISO 3166-1 alpha-2 region (such as US, GB, DE) of phone numbers written without a country code. Numbers starting with"
                    + " '+' or the region's international prefix keep their own country.")
            .required(true)
            .defaultValue("US")
            .addValidator(new PhoneRegionValidator())
            .build();

    public static final PropertyDescriptor INVALID_VALUE_HANDLING = new PropertyDescriptor.Builder()
            .name("Invalid Value Handling")
            .description("What to do with a record holding a value that cannot be normalised, such as an email without '@' or a phone number with letters."
                    + " Such a value is never hashed.")
            .allowableValues(InvalidValueHandling.class)
            .defaultValue(InvalidValueHandling.ROUTE_TO_FAILURE)
            .required(true)
            .build();

    public static final PropertyDescriptor HMAC_KEY = new PropertyDescriptor.Builder()
            .name("HMAC Key")
            .description("When set, external_id fields are hashed with HMAC-SHA256 under this key instead of plain SHA-256, so internal identifiers"
                    + " cannot be confirmed by hashing guesses. At least 16 characters; 32 random characters or more are recommended. The other"
                    + " field types always use plain SHA-256, which is what the platforms match on.")
            .required(false)
            .sensitive(true)
            .addValidator(StandardValidators.createRegexMatchingValidator(Pattern.compile("(?s).{16,}"), false,
                    "The HMAC Key must be at least 16 characters long"))
            .build();

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success")
            .description("Records whose configured fields were normalised and hashed (or were empty, absent or already hashed)")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("Records holding a value that cannot be normalised (unchanged, with _retl_error_code and _retl_error_message), and"
                    + " FlowFiles whose records cannot be read")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, PRESET, DEFAULT_PHONE_REGION,
            INVALID_VALUE_HANDLING, HMAC_KEY);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);

    static final String HASHED_COUNT = "hashpii.hashed.count";
    static final String ALREADY_HASHED_COUNT = "hashpii.already.hashed.count";
    static final String INVALID_COUNT = "hashpii.invalid.count";
    static final String ERROR_MESSAGE = "hashpii.error.message";

    private volatile HashingPlan plan;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected PropertyDescriptor getSupportedDynamicPropertyDescriptor(final String propertyDescriptorName) {
        return new PropertyDescriptor.Builder()
                .name(propertyDescriptorName)
                .description("The type of personal data in field " + propertyDescriptorName)
                .dynamic(true)
                .addValidator(new FieldTypeValidator())
                .build();
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        final Map<String, PiiFieldType> fieldTypes = fieldTypes(context.getProperties());
        if (fieldTypes.isEmpty()) {
            results.add(new ValidationResult.Builder().subject("Fields").valid(false)
                    .explanation("add at least one dynamic property: field name or /nested/path = field type (" + PiiFieldType.allValues() + ")").build());
            return results;
        }
        final HashPreset preset = context.getProperty(PRESET).asAllowableValue(HashPreset.class);
        final String region = context.getProperty(DEFAULT_PHONE_REGION).getValue();
        if (preset == null || region == null) {
            return results;
        }
        for (final Map.Entry<String, PiiFieldType> entry : fieldTypes.entrySet()) {
            try {
                HashingPlan.create(preset, Map.of(entry.getKey(), entry.getValue()), region.strip().toUpperCase(Locale.ROOT),
                        InvalidValueHandling.ROUTE_TO_FAILURE, null, Clock.systemUTC());
            } catch (final IllegalArgumentException e) {
                results.add(new ValidationResult.Builder().subject(entry.getKey()).input(entry.getValue().getValue()).valid(false)
                        .explanation(e.getMessage()).build());
            }
        }
        return results;
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) {
        final String hmacKey = context.getProperty(HMAC_KEY).getValue();
        plan = HashingPlan.create(
                context.getProperty(PRESET).asAllowableValue(HashPreset.class),
                fieldTypes(context.getProperties()),
                context.getProperty(DEFAULT_PHONE_REGION).getValue().strip().toUpperCase(Locale.ROOT),
                context.getProperty(INVALID_VALUE_HANDLING).asAllowableValue(InvalidValueHandling.class),
                hmacKey == null ? null : hmacKey.getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());
    }

    @OnStopped
    public void onStopped() {
        plan = null;
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        final FlowFile original = session.get();
        if (original == null) {
            return;
        }
        final HashingPlan currentPlan = plan;
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final RecordHasher hasher = currentPlan.newHasher();

        LazyRecordOutput success = null;
        LazyRecordOutput failure = null;
        long failedRecords = 0;
        String firstError = null;
        try (InputStream in = session.read(original);
             RecordReader reader = readerFactory.createRecordReader(original, in, getLogger())) {
            final RecordSchema readSchema = reader.getSchema();
            final Map<String, String> attributes = original.getAttributes();
            success = new LazyRecordOutput(session, original, writerFactory, writerFactory.getSchema(attributes, currentPlan.successSchema(readSchema)), getLogger());
            failure = new LazyRecordOutput(session, original, writerFactory, writerFactory.getSchema(attributes, currentPlan.failureSchema(readSchema)), getLogger());
            Record record;
            while ((record = reader.nextRecord()) != null) {
                if (hasher.apply(record)) {
                    success.write(record);
                } else {
                    failedRecords++;
                    if (firstError == null) {
                        firstError = String.valueOf(record.getValue(SyncRecordFields.ERROR_MESSAGE));
                    }
                    failure.write(record);
                }
            }
            if (!success.isOpen() && !failure.isOpen()) {
                success.open();
            }
        } catch (final MalformedRecordException | SchemaNotFoundException | IOException e) {
            if (success != null) {
                success.discard();
            }
            if (failure != null) {
                failure.discard();
            }
            routeUnreadable(session, original, e);
            return;
        }

        final Map<String, String> counts = Map.of(
                HASHED_COUNT, String.valueOf(hasher.hashedCount()),
                ALREADY_HASHED_COUNT, String.valueOf(hasher.alreadyHashedCount()),
                INVALID_COUNT, String.valueOf(hasher.invalidCount()));
        final String details = "Preset " + currentPlan.preset().getDisplayName() + ": " + hasher.hashedCount() + " values hashed, "
                + hasher.alreadyHashedCount() + " already hashed, " + hasher.clearTextCount() + " normalised in the clear, "
                + hasher.invalidCount() + " invalid";
        try {
            final FlowFile successFlowFile = success.finish(counts);
            if (successFlowFile != null) {
                session.getProvenanceReporter().modifyContent(successFlowFile, details);
                session.transfer(successFlowFile, REL_SUCCESS);
            }
            final FlowFile failureFlowFile = failure.finish(counts);
            if (failureFlowFile != null) {
                session.getProvenanceReporter().route(failureFlowFile, REL_FAILURE, failedRecords + " records held values that cannot be normalised");
                session.transfer(failureFlowFile, REL_FAILURE);
            }
        } catch (final IOException e) {
            success.discard();
            failure.discard();
            routeUnreadable(session, original, e);
            return;
        }
        session.remove(original);

        session.adjustCounter("Values Hashed", hasher.hashedCount(), false);
        session.adjustCounter("Values Already Hashed", hasher.alreadyHashedCount(), false);
        session.adjustCounter("Values Normalised in the Clear", hasher.clearTextCount(), false);
        session.adjustCounter("Invalid Values", hasher.invalidCount(), false);
        session.adjustCounter("Records Routed to Failure", failedRecords, false);
        if (failedRecords > 0) {
            getLogger().warn("{} records of {} held values that cannot be normalised and went to failure; first: {}", failedRecords, original, firstError);
        } else if (hasher.invalidCount() > 0) {
            getLogger().warn("{} values of {} could not be normalised and were cleared", hasher.invalidCount(), original);
        }
    }

    private void routeUnreadable(final ProcessSession session, final FlowFile original, final Exception cause) {
        // the reader's message may quote the content, which is personal data: only the kind of failure is reported
        final String reason = "Cannot read or write the records (" + cause.getClass().getSimpleName() + "); check the Record Reader against the content";
        getLogger().error("{} routed to failure: {}", original, reason);
        final FlowFile failed = session.putAttribute(original, ERROR_MESSAGE, reason);
        session.getProvenanceReporter().route(failed, REL_FAILURE, reason);
        session.transfer(failed, REL_FAILURE);
    }

    private static Map<String, PiiFieldType> fieldTypes(final Map<PropertyDescriptor, String> properties) {
        final Map<String, PiiFieldType> fieldTypes = new LinkedHashMap<>();
        for (final Map.Entry<PropertyDescriptor, String> entry : properties.entrySet()) {
            if (entry.getKey().isDynamic()) {
                final PiiFieldType type = PiiFieldType.fromValue(entry.getValue());
                if (type != null) {
                    fieldTypes.put(entry.getKey().getName(), type);
                }
            }
        }
        return fieldTypes;
    }

    /**
     * Checks a dynamic property: a valid field name or path, and a known field type.
     */
    private static final class FieldTypeValidator implements Validator {
        @Override
        public ValidationResult validate(final String subject, final String input, final ValidationContext context) {
            final ValidationResult.Builder result = new ValidationResult.Builder().subject(subject).input(input);
            if (PiiFieldType.fromValue(input) == null) {
                return result.valid(false).explanation("the field type must be one of " + PiiFieldType.allValues()).build();
            }
            try {
                FieldPath.parse(subject);
            } catch (final IllegalArgumentException e) {
                return result.valid(false).explanation(e.getMessage()).build();
            }
            return result.valid(true).build();
        }
    }

    /**
     * Checks that a region is one libphonenumber knows (ISO 3166-1 alpha-2).
     */
    private static final class PhoneRegionValidator implements Validator {
        @Override
        public ValidationResult validate(final String subject, final String input, final ValidationContext context) {
            final boolean known = input != null && PhoneNumberUtil.getInstance().getSupportedRegions().contains(input.strip().toUpperCase(Locale.ROOT));
            return new ValidationResult.Builder().subject(subject).input(input).valid(known)
                    .explanation(known ? null : "not an ISO 3166-1 alpha-2 region that libphonenumber supports, such as US, GB or DE").build();
        }
    }
}
