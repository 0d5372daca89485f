package dev.nifireverseetl.state.jdbc;

import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateStore;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnDisabled;
import org.apache.nifi.annotation.lifecycle.OnEnabled;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.controller.VerifiableControllerService;
import org.apache.nifi.dbcp.DBCPService;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.util.StandardValidators;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

@Tags({"reverse etl", "sync", "state", "diff", "jdbc", "postgresql", "cluster"})
@CapabilityDescription("Keeps the sync state of reverse ETL syncs in a PostgreSQL database reached through a DBCPService, so every node of a NiFi "
        + "cluster sees one state and acceptances from several nodes are safe. Creates and migrates its own tables (retl_schema_version, "
        + "retl_key_state, retl_run, retl_run_seen) when enabled.")
@SeeAlso(classNames = "dev.nifireverseetl.state.embedded.EmbeddedSyncStateService")
public class JdbcSyncStateService extends AbstractSyncStateService implements VerifiableControllerService {

    public static final PropertyDescriptor CONNECTION_POOL = new PropertyDescriptor.Builder()
            .name("Database Connection Pooling Service")
            .description("The connection pool of the PostgreSQL database that holds the state. The user needs CREATE on its schema the first "
                    + "time (the service creates its tables), then SELECT, INSERT, UPDATE and DELETE on them.")
            .required(true)
            .identifiesControllerService(DBCPService.class)
            .build();

    public static final PropertyDescriptor ABANDONED_RUN_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Abandoned Run Timeout")
            .description("A diff run of a sync that made no progress for this long (on any node) is considered abandoned: a new run of the same "
                    + "sync expires it instead of being refused. Nothing of an expired run is accepted; its later calls fail.")
            .required(true)
            .defaultValue("1 hour")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(CONNECTION_POOL, ABANDONED_RUN_TIMEOUT);

    private volatile JdbcSyncStateStore store;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) {
        final JdbcSyncStateStore opened = create(context);
        final int version = opened.migrate();
        getLogger().info("Sync state schema at version {}", version);
        store = opened;
    }

    @OnDisabled
    public void onDisabled() {
        store = null;
    }

    @Override
    protected SyncStateStore store() {
        final JdbcSyncStateStore open = store;
        if (open == null) {
            throw new SyncStateException("The JDBC sync state service is not enabled");
        }
        return open;
    }

    @Override
    public List<ConfigVerificationResult> verify(final ConfigurationContext context, final ComponentLog verificationLogger, final Map<String, String> variables) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final DBCPService pool = context.getProperty(CONNECTION_POOL).asControllerService(DBCPService.class);
        try (Connection connection = pool.getConnection()) {
            final DatabaseMetaData metaData = connection.getMetaData();
            final String product = metaData.getDatabaseProductName() + " " + metaData.getDatabaseProductVersion();
            if (!"PostgreSQL".equalsIgnoreCase(metaData.getDatabaseProductName())) {
                results.add(result("Connect To Database", ConfigVerificationResult.Outcome.FAILED, "Connected to " + product
                        + ", but the state service needs PostgreSQL"));
                results.add(result("Create Or Migrate Schema", ConfigVerificationResult.Outcome.SKIPPED, "Not PostgreSQL"));
                results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SKIPPED, "Not PostgreSQL"));
                return results;
            }
            results.add(result("Connect To Database", ConfigVerificationResult.Outcome.SUCCESSFUL, "Connected to " + product));
        } catch (final SQLException | RuntimeException e) {
            verificationLogger.error("Cannot connect to the state database", e);
            results.add(result("Connect To Database", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
            results.add(result("Create Or Migrate Schema", ConfigVerificationResult.Outcome.SKIPPED, "No connection"));
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SKIPPED, "No connection"));
            return results;
        }
        final JdbcSyncStateStore checked = create(context);
        try {
            final int version = checked.migrate();
            results.add(result("Create Or Migrate Schema", ConfigVerificationResult.Outcome.SUCCESSFUL, "Schema at version " + version));
        } catch (final SyncStateException e) {
            verificationLogger.error("Cannot create or migrate the state schema", e);
            results.add(result("Create Or Migrate Schema", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SKIPPED, "No schema"));
            return results;
        }
        try {
            final Map<String, Long> counts = checked.keyCountsPerSync();
            final StringBuilder text = new StringBuilder();
            for (final Map.Entry<String, Long> entry : counts.entrySet()) {
                text.append(text.isEmpty() ? "" : "; ").append(entry.getKey()).append(": ").append(entry.getValue()).append(" keys");
            }
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.SUCCESSFUL, text.isEmpty() ? "No sync has state yet" : text.toString()));
        } catch (final SyncStateException e) {
            results.add(result("Count Keys Per Sync", ConfigVerificationResult.Outcome.FAILED, e.getMessage()));
        }
        return results;
    }

    private static JdbcSyncStateStore create(final ConfigurationContext context) {
        final DBCPService pool = context.getProperty(CONNECTION_POOL).asControllerService(DBCPService.class);
        final long timeoutMillis = context.getProperty(ABANDONED_RUN_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS);
        return new JdbcSyncStateStore(pool::getConnection, Duration.ofMillis(timeoutMillis));
    }

    private static ConfigVerificationResult result(final String step, final ConfigVerificationResult.Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }
}
