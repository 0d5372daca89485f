package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateService;
import dev.nifireverseetl.testsupport.services.DataSourceDbcpService;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;

import java.nio.file.Path;

/**
 * The two state implementations every scenario runs against: the embedded MVStore file and real PostgreSQL.
 */
enum StateBackend {
    EMBEDDED,
    JDBC;

    /**
     * Adds and enables a state service on the runner, pointing the runner's "Sync State Service" property at it.
     *
     * @param location the state directory (embedded); JDBC gets a fresh PostgreSQL database per call instead
     */
    SyncStateService register(final TestRunner runner, final Path location, final String abandonedRunTimeout) throws InitializationException {
        final SyncStateService service;
        if (this == EMBEDDED) {
            final EmbeddedSyncStateService embedded = new EmbeddedSyncStateService();
            runner.addControllerService("state", embedded);
            runner.setProperty(embedded, EmbeddedSyncStateService.STATE_DIRECTORY, location.toString());
            runner.setProperty(embedded, EmbeddedSyncStateService.ABANDONED_RUN_TIMEOUT, abandonedRunTimeout);
            service = embedded;
        } else {
            final DataSourceDbcpService pool = new DataSourceDbcpService(TestPostgres.freshDatabase());
            runner.addControllerService("pool", pool);
            runner.enableControllerService(pool);
            final JdbcSyncStateService jdbc = new JdbcSyncStateService();
            runner.addControllerService("state", jdbc);
            runner.setProperty(jdbc, JdbcSyncStateService.CONNECTION_POOL, "pool");
            runner.setProperty(jdbc, JdbcSyncStateService.ABANDONED_RUN_TIMEOUT, abandonedRunTimeout);
            service = jdbc;
        }
        runner.enableControllerService(service);
        runner.setProperty(DiffRecords.SYNC_STATE_SERVICE, "state");
        return service;
    }
}
