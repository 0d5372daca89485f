package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpClientFactory;
import dev.nifireverseetl.processors.engine.http.RequestThreads;
import dev.nifireverseetl.processors.engine.ratelimit.ClusterShare;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudget;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudgetRegistry;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitScope;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import okhttp3.OkHttpClient;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The base of every Put processor (PutHubSpot, PutSalesforce, PutZendesk): the common properties, relationships,
 * lifecycle, {@code onTrigger} and {@code verify}, on top of {@link WriteEngine}. A destination processor adds its own
 * properties ({@link #getDestinationPropertyDescriptors()}), says how to reach and talk to the destination
 * ({@link #createDestination(PropertyContext)}), and may add verification steps ({@link #verifyDestination}).
 * <p>
 * Per FlowFile: records are streamed from the Record Reader into a {@link WriteJob}; outcomes are written to one child
 * FlowFile per relationship with the outcome fields added; the input FlowFile is removed. Records in = records out.
 */
public abstract class AbstractPutDestination extends AbstractProcessor implements VerifiableProcessor {

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the records to write to the destination.")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the records routed to success, failure, retry and superseded, with the outcome fields added "
                    + "(_retl_destination_id, _retl_created, _retl_error_code, _retl_error_message).")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor MATCH_KEY_FIELD = new PropertyDescriptor.Builder()
            .name("Match Key Field")
            .description("The record field whose value identifies the destination record (for example the e-mail address or a unique warehouse id).")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor FIELD_MAPPING = new PropertyDescriptor.Builder()
            .name("Field Mapping")
            .description("Record fields whose destination field has another name, as a comma-separated list of record_field=destination_field. "
                    + "Other fields keep their names. Fields starting with _retl_ are never sent.")
            .required(false)
            .addValidator(KeyValueListParser.VALIDATOR)
            .build();

    public static final PropertyDescriptor SYNC_MODE = new PropertyDescriptor.Builder()
            .name("Sync Mode")
            .description("How records are written.")
            .required(true)
            .allowableValues(SyncMode.class)
            .defaultValue(SyncMode.UPSERT)
            .build();

    public static final PropertyDescriptor REMOVED_RECORDS = new PropertyDescriptor.Builder()
            .name("Removed Records")
            .description("What to do with records DiffRecords marks as removed (_retl_op = removed).")
            .required(true)
            .allowableValues(RemovalMode.class)
            .defaultValue(RemovalMode.REMOVE)
            .build();

    public static final PropertyDescriptor NULL_VALUES = new PropertyDescriptor.Builder()
            .name("Null Values")
            .description("What a null record value does to the destination field.")
            .required(true)
            .allowableValues(NullHandling.class)
            .defaultValue(NullHandling.SKIP)
            .build();

    public static final PropertyDescriptor CHANGED_FIELDS_ONLY = new PropertyDescriptor.Builder()
            .name("Send Changed Fields Only")
            .description("For changed rows, send only the fields DiffRecords lists in _retl_changed_fields (records without that field send every field).")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("true")
            .build();

    public static final PropertyDescriptor FIELD_OWNERSHIP = new PropertyDescriptor.Builder()
            .name("Field Ownership")
            .description("Destination fields the sync does not always own, as a comma-separated list of destination_field=ownership, where ownership "
                    + "is 'always', 'on create only' (written only when the sync creates the record) or 'if empty' (written only while the destination "
                    + "value is empty; costs one read request per batch). Fields not listed are owned always. "
                    + "Example: lifecyclestage=on create only, hubspot_owner_id=if empty")
            .required(false)
            .addValidator(KeyValueListParser.OWNERSHIP_VALIDATOR)
            .build();

    public static final PropertyDescriptor SYNC_STATE_SERVICE = new PropertyDescriptor.Builder()
            .name("Sync State Service")
            .description("The sync state shared with DiffRecords. Accepted versions, failures, removals and destination ids are recorded in it, and "
                    + "replays of accepted versions and stale versions are not sent. Without it records are simply written.")
            .identifiesControllerService(SyncStateService.class)
            .required(false)
            .build();

    public static final PropertyDescriptor SYNC_ID = new PropertyDescriptor.Builder()
            .name("Sync ID")
            .description("The sync whose state is updated: the same Sync ID as DiffRecords. May come from a FlowFile attribute.")
            .required(true)
            .dependsOn(SYNC_STATE_SERVICE)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor DRY_RUN = new PropertyDescriptor.Builder()
            .name("Dry Run")
            .description("Build the requests and route them to dry-run instead of sending them. Nothing is written to the destination or the sync state.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("false")
            .build();

    public static final PropertyDescriptor MAX_CONCURRENT_REQUESTS = new PropertyDescriptor.Builder()
            .name("Max Concurrent Requests")
            .description("Batches in flight at once per task. With 100-300 ms latency (plus the destination's processing time), 8 keeps a "
                    + "19 requests/s limit busy; the shared rate budget keeps the rate under the destination's limit whatever this is.")
            .required(true)
            .defaultValue("8")
            .addValidator(StandardValidators.createLongValidator(1, 64, true))
            .build();

    public static final PropertyDescriptor MAX_RETRIES = new PropertyDescriptor.Builder()
            .name("Max Retries")
            .description("Retries of a request after a transient error (5xx, timeout, reset), with exponential backoff and jitter. Records still not "
                    + "written afterwards go to retry.")
            .required(true)
            .defaultValue("5")
            .addValidator(StandardValidators.createLongValidator(0, 20, true))
            .build();

    public static final PropertyDescriptor RETRY_BACKOFF = new PropertyDescriptor.Builder()
            .name("Retry Backoff")
            .description("The delay before the first retry; it doubles on each retry (with jitter), up to 30 seconds.")
            .required(true)
            .defaultValue("500 ms")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor MAX_RATE_LIMIT_WAIT = new PropertyDescriptor.Builder()
            .name("Max Rate Limit Wait")
            .description("The longest a request waits for the shared rate budget (or after a 429) before its records go to retry.")
            .required(true)
            .defaultValue("2 min")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor RATE_LIMIT_SCOPE = new PropertyDescriptor.Builder()
            .name("Rate Limit Scope")
            .description("What the configured rate limit means on a NiFi cluster. The default divides the account's limit among the connected nodes, "
                    + "so a load-balanced flow never exceeds it together; on a standalone NiFi both choices mean the whole limit.")
            .required(true)
            .allowableValues(RateLimitScope.class)
            .defaultValue(RateLimitScope.PER_NODE_SHARE)
            .build();

    public static final PropertyDescriptor CONNECT_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Connect Timeout")
            .description("Maximum time to establish a connection.")
            .required(true)
            .defaultValue("10 sec")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor READ_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Read Timeout")
            .description("Maximum time to wait for a response; a timeout is a transient error (retried).")
            .required(true)
            .defaultValue("30 sec")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final PropertyDescriptor SSL_CONTEXT_SERVICE = new PropertyDescriptor.Builder()
            .name("SSL Context Service")
            .description("Trust material (and client key) for TLS. Certificates are always verified.")
            .identifiesControllerService(SSLContextProvider.class)
            .required(false)
            .build();

    public static final PropertyDescriptor PROXY_CONFIGURATION_SERVICE = ProxyConfigurationService.PROXY_CONFIGURATION_SERVICE;

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success")
            .description("Records the destination accepted (or had accepted in exactly this version), with _retl_destination_id and _retl_created.")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("Records the destination rejected, with its error code and message in _retl_error_code and _retl_error_message, and "
                    + "records that cannot be sent (no match key, a value that cannot be converted). Input that cannot be read goes here whole.")
            .build();

    public static final Relationship REL_RETRY = new Relationship.Builder()
            .name("retry")
            .description("Records not written for a transient reason after the bounded retries, or because a daily limit is spent. Penalized.")
            .build();

    public static final Relationship REL_SUPERSEDED = new Relationship.Builder()
            .name("superseded")
            .description("Records not sent because a newer version of the row exists (a later diff run, or a later record with the same key in the "
                    + "same FlowFile). Safe to auto-terminate.")
            .build();

    public static final Relationship REL_DRY_RUN = new Relationship.Builder()
            .name("dry-run")
            .description("Dry run only: the exact requests that would have been sent, one JSON object per line (method, url, records, body).")
            .build();

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE, REL_RETRY, REL_SUPERSEDED, REL_DRY_RUN);
    private static final Map<OutcomeRoute, Relationship> ROUTES = new EnumMap<>(Map.of(OutcomeRoute.SUCCESS, REL_SUCCESS, OutcomeRoute.FAILURE, REL_FAILURE,
            OutcomeRoute.RETRY, REL_RETRY, OutcomeRoute.SUPERSEDED, REL_SUPERSEDED, OutcomeRoute.DRY_RUN, REL_DRY_RUN));
    private static final Map<OutcomeRoute, String> COUNTERS = new EnumMap<>(Map.of(OutcomeRoute.SUCCESS, "Records Succeeded", OutcomeRoute.FAILURE,
            "Records Failed", OutcomeRoute.RETRY, "Records To Retry", OutcomeRoute.SUPERSEDED, "Records Superseded", OutcomeRoute.DRY_RUN, "Records In Dry Run"));
    private static final long DAILY_LIMIT_WARNING_INTERVAL_MILLIS = 60_000;

    private volatile WriteEngine engine;
    private volatile OkHttpClient httpClient;
    private volatile ExecutorService requestThreads;
    private volatile RecordPreparer preparer;
    private volatile ClusterShare clusterShare;
    private final AtomicLong lastDailyLimitWarning = new AtomicLong();

    /**
     * @return the destination's own properties (connection, credentials, object), listed after the Record Reader and Writer
     */
    protected abstract List<PropertyDescriptor> getDestinationPropertyDescriptors();

    /**
     * Builds the adapter, credential, base URL and plan limits from the configuration. Called on schedule and by verify.
     */
    protected abstract DestinationSetup createDestination(PropertyContext context);

    /**
     * Destination-specific verification steps (for example: authenticate, check the object type). The client is
     * built from the configuration; requests made here do not use the shared rate budget.
     */
    protected List<ConfigVerificationResult> verifyDestination(final ProcessContext context, final ComponentLog verificationLogger, final DestinationSetup setup,
                                                               final DestinationClient client) {
        return List.of();
    }

    @Override
    protected final List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        final List<PropertyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(RECORD_READER);
        descriptors.add(RECORD_WRITER);
        descriptors.addAll(getDestinationPropertyDescriptors());
        descriptors.addAll(List.of(MATCH_KEY_FIELD, FIELD_MAPPING, SYNC_MODE, REMOVED_RECORDS, NULL_VALUES, CHANGED_FIELDS_ONLY, FIELD_OWNERSHIP,
                SYNC_STATE_SERVICE, SYNC_ID, DRY_RUN, MAX_CONCURRENT_REQUESTS, MAX_RETRIES, RETRY_BACKOFF, MAX_RATE_LIMIT_WAIT, RATE_LIMIT_SCOPE, CONNECT_TIMEOUT,
                READ_TIMEOUT, SSL_CONTEXT_SERVICE, PROXY_CONFIGURATION_SERVICE));
        return descriptors;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) {
        final DestinationSetup setup = createDestination(context);
        final EngineSettings settings = engineSettings(context);
        httpClient = buildHttpClient(context, settings.maxConcurrentRequests());
        final DestinationClient client = new DestinationClient(httpClient, setup.baseUrl(), setup.credential());
        final ClusterShare share = new ClusterShare(getNodeTypeProvider(), context.getProperty(RATE_LIMIT_SCOPE).asAllowableValue(RateLimitScope.class));
        final RateBudget budget = RateBudgetRegistry.budgetFor(share.nodeIdentity(), setup.baseUrl(), setup.credential().accountFingerprint(), setup.ratePolicy(),
                setup.dailyResetZone());
        final int nodes = share.applyTo(budget);
        if (nodes > 1) {
            getLogger().info("{} rate limit shared by {} connected nodes: this node sends at most {} requests per window", setup.adapter().destinationName(),
                    nodes, budget.effectiveLimit());
        }
        clusterShare = share;
        final int threads = settings.maxConcurrentRequests() * Math.max(1, context.getMaxConcurrentTasks());
        requestThreads = RequestThreads.start(threads, getClass().getSimpleName() + "-" + getIdentifier() + "-request-");
        engine = new WriteEngine(setup.adapter(), client, budget, settings, requestThreads);
        preparer = new RecordPreparer(context.getProperty(MATCH_KEY_FIELD).getValue(), KeyValueListParser.parse(context.getProperty(FIELD_MAPPING).getValue()),
                context.getProperty(NULL_VALUES).asAllowableValue(NullHandling.class), context.getProperty(CHANGED_FIELDS_ONLY).asBoolean());
    }

    @OnStopped
    public void onStopped() {
        RequestThreads.stop(requestThreads, getLogger());
        HttpClientFactory.close(httpClient);
        requestThreads = null;
        httpClient = null;
        engine = null;
    }

    private static EngineSettings engineSettings(final PropertyContext context) {
        final long backoff = context.getProperty(RETRY_BACKOFF).asTimePeriod(TimeUnit.MILLISECONDS);
        return new EngineSettings(
                context.getProperty(SYNC_MODE).asAllowableValue(SyncMode.class),
                context.getProperty(REMOVED_RECORDS).asAllowableValue(RemovalMode.class),
                context.getProperty(CHANGED_FIELDS_ONLY).asBoolean(),
                KeyValueListParser.parseOwnership(context.getProperty(FIELD_OWNERSHIP).getValue()),
                context.getProperty(DRY_RUN).asBoolean(),
                context.getProperty(MAX_CONCURRENT_REQUESTS).asInteger(),
                new RetryPolicy(context.getProperty(MAX_RETRIES).asInteger(), backoff, Math.max(backoff, 30_000)),
                20,
                context.getProperty(MAX_RATE_LIMIT_WAIT).asTimePeriod(TimeUnit.MILLISECONDS));
    }

    private static OkHttpClient buildHttpClient(final PropertyContext context, final int maxConcurrent) {
        final SSLContextProvider sslContextProvider = context.getProperty(SSL_CONTEXT_SERVICE).asControllerService(SSLContextProvider.class);
        final ProxyConfigurationService proxyService = context.getProperty(PROXY_CONFIGURATION_SERVICE).asControllerService(ProxyConfigurationService.class);
        final ProxyConfiguration proxy = proxyService == null ? null : proxyService.getConfiguration();
        return HttpClientFactory.create(sslContextProvider, proxy,
                Duration.ofMillis(context.getProperty(CONNECT_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)),
                Duration.ofMillis(context.getProperty(READ_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS)), maxConcurrent);
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) throws ProcessException {
        final WriteEngine currentEngine = engine;
        clusterShare.refreshIfDue(currentEngine.budget());
        final long dailyReset = currentEngine.budget().dailyExhaustedUntil();
        if (dailyReset > 0) {
            warnDailyLimit(currentEngine, dailyReset);
            context.yield();
            return;
        }
        final FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final SyncStateService stateService = context.getProperty(SYNC_STATE_SERVICE).asControllerService(SyncStateService.class);
        final String syncId = stateService == null ? null : context.getProperty(SYNC_ID).evaluateAttributeExpressions(flowFile).getValue();
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final long started = System.nanoTime();
        OutcomeRouter router = null;
        final JobSummary summary;
        try (InputStream in = session.read(flowFile);
             RecordReader reader = readerFactory.createRecordReader(flowFile, in, getLogger())) {
            router = new OutcomeRouter(session, flowFile, writerFactory, reader.getSchema(), getLogger());
            final WriteJob job = currentEngine.start(stateService, syncId, router);
            long sequence = 0;
            Record record;
            while ((record = reader.nextRecord()) != null) {
                final RecordPreparer.Prepared prepared = preparer.prepare(sequence++, record);
                if (prepared.isValid()) {
                    job.add(prepared.record());
                } else {
                    job.reject(prepared.record(), prepared.errorCode(), prepared.errorMessage());
                }
            }
            summary = job.finish();
        } catch (final MalformedRecordException | SchemaNotFoundException | IOException | UncheckedIOException e) {
            if (router != null) {
                router.discard();
            }
            getLogger().error("Cannot read the records of {}; routing it to failure", flowFile, e);
            final FlowFile failed = session.putAttribute(flowFile, "retl.error.message", "Cannot read the records: " + e.getMessage());
            session.transfer(failed, REL_FAILURE);
            return;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("Interrupted while writing to " + currentEngine.adapter().destinationName(), e);
        } catch (final SyncStateException e) {
            throw new ProcessException("The sync state could not be read or written; the FlowFile will be processed again", e);
        }
        finish(context, session, flowFile, router, summary, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void finish(final ProcessContext context, final ProcessSession session, final FlowFile flowFile, final OutcomeRouter router, final JobSummary summary,
                        final long millis) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put("retl.success.count", String.valueOf(summary.count(OutcomeRoute.SUCCESS)));
        attributes.put("retl.failure.count", String.valueOf(summary.count(OutcomeRoute.FAILURE)));
        attributes.put("retl.retry.count", String.valueOf(summary.count(OutcomeRoute.RETRY)));
        attributes.put("retl.superseded.count", String.valueOf(summary.count(OutcomeRoute.SUPERSEDED)));
        attributes.put("retl.request.count", String.valueOf(summary.requests()));
        final String transitUri = summary.endpoints().isEmpty() ? null : new TreeSet<>(summary.endpoints()).first();
        try {
            router.complete(ROUTES, attributes, transitUri, millis);
        } catch (final IOException e) {
            router.discard();
            throw new ProcessException("Cannot finish the outcome FlowFiles", e);
        }
        session.remove(flowFile);
        for (final Map.Entry<OutcomeRoute, String> counter : COUNTERS.entrySet()) {
            final long count = summary.count(counter.getKey());
            if (count > 0) {
                session.adjustCounter(counter.getValue(), count, false);
            }
        }
        session.adjustCounter("Requests Sent", summary.requests(), false);
        final WriteEngine currentEngine = engine;
        if (summary.firstPermanentError() != null) {
            getLogger().error("{} rejected {} records of {}; first error: {}", currentEngine.adapter().destinationName(), summary.count(OutcomeRoute.FAILURE),
                    flowFile, summary.firstPermanentError());
        }
        if (summary.dailyLimitResetAt() > 0) {
            warnDailyLimit(currentEngine, summary.dailyLimitResetAt());
            context.yield();
        }
    }

    private void warnDailyLimit(final WriteEngine currentEngine, final long resetAt) {
        final long now = System.currentTimeMillis();
        final long last = lastDailyLimitWarning.get();
        if (now - last >= DAILY_LIMIT_WARNING_INTERVAL_MILLIS && lastDailyLimitWarning.compareAndSet(last, now)) {
            getLogger().warn("The {} daily request limit is spent; writing resumes at {} (records wait in the queue or go to retry)",
                    currentEngine.adapter().destinationName(), Instant.ofEpochMilli(resetAt));
        }
    }

    @Override
    public List<ConfigVerificationResult> verify(final ProcessContext context, final ComponentLog verificationLogger, final Map<String, String> attributes) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final DestinationSetup setup;
        try {
            setup = createDestination(context);
        } catch (final RuntimeException e) {
            results.add(new ConfigVerificationResult.Builder().verificationStepName("Configure destination").outcome(ConfigVerificationResult.Outcome.FAILED)
                    .explanation(e.getMessage()).build());
            return results;
        }
        final OkHttpClient client = buildHttpClient(context, 1);
        try {
            results.addAll(verifyDestination(context, verificationLogger, setup, new DestinationClient(client, setup.baseUrl(), setup.credential())));
        } finally {
            HttpClientFactory.close(client);
        }
        return results;
    }
}
