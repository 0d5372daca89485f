package dev.nifireverseetl.state.embedded;

import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.state.SyncStatistics;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnDisabled;
import org.apache.nifi.annotation.lifecycle.OnEnabled;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.controller.VerifiableControllerService;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.util.StandardValidators;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

@Tags({"reverse etl", "sync", "state", "diff", "embedded", "mvstore"})
@CapabilityDescription("Keeps the sync state of reverse ETL syncs (for each sync and row key: the row version the destination last accepted, "
        + "per-field hashes, the destination record id and the last outcome) in one file on this node's disk. Needs no setup, survives "
        + "NiFi restarts and holds tens of millions of keys with a bounded heap. Each NiFi node has its own store: in a cluster, run "
        + "each sync on one node or use JdbcSyncStateService.")
public class EmbeddedSyncStateService extends AbstractSyncStateService implements VerifiableControllerService {

    public static final PropertyDescriptor STATE_DIRECTORY = new PropertyDescriptor.Builder()
            .name("State Directory")
            .description("The directory of the state file (" + MvStoreSyncStateStore.FILE_NAME + "), relative to the NiFi working directory "
                    + "unless absolute. Created when missing. Only one service may use a directory at a time.")
            .required(true)
            .defaultValue("./state/reverse-etl")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor CACHE_SIZE = new PropertyDescriptor.Builder()
            .name("Cache Size")
            .description("The heap the store may use to cache pages of the state file, in megabytes. Larger caches speed up diffs of big "
                    + "snapshots; the state itself stays on disk whatever its size.")
            .required(true)
            .defaultValue("64")
            .addValidator(StandardValidators.createLongValidator(1, 65_536, true))
            .build();

    public static final PropertyDescriptor ABANDONED_RUN_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Abandoned Run Timeout")
            .description("A diff run of a sync that made no progress for this long is considered abandoned: a new run of the same sync expires "
                    + "it instead of being refused. Nothing of an expired run is accepted; its later calls fail.")
            .required(true)
            .defaultValue("1 hour")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(STATE_DIRECTORY, CACHE_SIZE, ABANDONED_RUN_TIMEOUT);

    private volatile MvStoreSyncStateStore store;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) {
        store = open(context);
        getLogger().info("Sync state store opened in {}", directory(context).toAbsolutePath());
    }

    @OnDisabled
    public void onDisabled() {
        final MvStoreSyncStateStore open = store;
        store = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    protected SyncStateStore store() {
        final MvStoreSyncStateStore open = store;
        if (open == null) {
            throw new SyncStateException("The embedded sync state service is not enabled");
        }
        return open;
    }

    @Override
    public List<ConfigVerificationResult> verify(final ConfigurationContext context, final ComponentLog verificationLogger, final Map<String, String> variables) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final MvStoreSyncStateStore enabled = store;
        final Path directory = directory(context);
        MvStoreSyncStateStore opened = null;
        try {
            final MvStoreSyncStateStore checked;
            if (enabled != null) {
                checked = enabled;
            } else {
                opened = open(context);
                checked = opened;
            }
            results.add(result("Open State Store", ConfigVerificationResult.Outcome.SUCCESSFUL,
                    "Opened " + directory.resolve(MvStoreSyncStateStore.FILE_NAME).toAbsolutePath()));
            final StringBuilder counts = new StringBuilder();
            for (final String syncId : checked.syncIds()) {
                final SyncStatistics statistics = checked.getStatistics(syncId);
                counts.append(counts.isEmpty() ? "" : "; ").append(syncId).append(": ").append(statistics.keys()).append(" keys, ")
                        .append(statistics.accepted()).append(" accepted, ").append(statistics.failed()).append(" failed");
            }
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SUCCESSFUL,
                    counts.isEmpty() ? "No sync has state yet" : counts.toString()));
        } catch (final SyncStateException e) {
            verificationLogger.error("Cannot open the state store", e);
            results.add(result("Open State Store", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SKIPPED, "The store did not open"));
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
        return results;
    }

    private static ConfigVerificationResult result(final String step, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }

    private static MvStoreSyncStateStore open(final ConfigurationContext context) {
        final int cacheSize = context.getProperty(CACHE_SIZE).asInteger();
        final long timeoutMillis = context.getProperty(ABANDONED_RUN_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS);
        return new MvStoreSyncStateStore(directory(context), cacheSize, Duration.ofMillis(timeoutMillis), Clock.systemUTC());
    }

    private static Path directory(final ConfigurationContext context) {
        return Path.of(context.getProperty(STATE_DIRECTORY).getValue());
    }
}
