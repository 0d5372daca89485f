package dev.nifireverseetl.reliability;

import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateService;
import dev.nifireverseetl.testsupport.services.DataSourceDbcpService;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.NoOpProcessor;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Owns the real sync state service of a scenario (EmbeddedSyncStateService on a directory, or JdbcSyncStateService on
 * a PostgreSQL database) as NiFi would: enabled in its own runner, shared by the DiffRecords and Put runners through
 * {@link FaultingSyncStateService}. {@link #restart()} disables it and enables a new instance on the same directory or
 * database (a NiFi restart); {@link #powerFailure()} stops the embedded store without writing anything more.
 */
final class StateHost implements AutoCloseable {

    enum Kind {
        EMBEDDED, JDBC
    }

    private final Kind kind;
    private final Path directory;
    private final KillableConnections connections;
    private final StateFaults faults = new StateFaults();
    private TestRunner hostRunner;
    private AbstractSyncStateService service;
    private int restarts;

    private StateHost(final Kind kind, final Path directory, final KillableConnections connections) {
        this.kind = kind;
        this.directory = directory;
        this.connections = connections;
        start();
    }

    static StateHost of(final Kind kind, final Path directory) {
        return kind == Kind.EMBEDDED ? new StateHost(kind, directory, null) : new StateHost(kind, null, new KillableConnections(TestPostgres.freshDatabase()));
    }

    Kind kind() {
        return kind;
    }

    StateFaults faults() {
        return faults;
    }

    KillableConnections connections() {
        return connections;
    }

    int restarts() {
        return restarts;
    }

    synchronized SyncStateService current() {
        return service;
    }

    private void start() {
        hostRunner = TestRunners.newTestRunner(NoOpProcessor.class);
        try {
            if (kind == Kind.EMBEDDED) {
                final EmbeddedSyncStateService embedded = new EmbeddedSyncStateService();
                hostRunner.addControllerService("state", embedded);
                hostRunner.setProperty(embedded, EmbeddedSyncStateService.STATE_DIRECTORY, directory.toString());
                hostRunner.enableControllerService(embedded);
                service = embedded;
            } else {
                final DataSourceDbcpService pool = new DataSourceDbcpService(connections);
                hostRunner.addControllerService("pool", pool);
                hostRunner.enableControllerService(pool);
                final JdbcSyncStateService jdbc = new JdbcSyncStateService();
                hostRunner.addControllerService("state", jdbc);
                hostRunner.setProperty(jdbc, JdbcSyncStateService.CONNECTION_POOL, "pool");
                hostRunner.enableControllerService(jdbc);
                service = jdbc;
            }
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Disables the service (closing an embedded store) and enables a new instance on the same directory or database.
     */
    synchronized void restart() {
        stop();
        start();
        restarts++;
    }

    private void stop() {
        try {
            hostRunner.disableControllerService(service);
        } catch (final AssertionError | SyncStateException e) {
            // a store that lost power cannot be closed cleanly; its file lock is already released
        }
    }

    /**
     * Simulates a power failure of the embedded store: MVStore's closeImmediately closes the file without writing
     * anything not yet committed (the store's documented way to test crash recovery). Later calls fail until
     * {@link #restart()}.
     */
    synchronized void powerFailure() {
        if (kind != Kind.EMBEDDED) {
            throw new IllegalStateException("Only the embedded store has a power switch");
        }
        try {
            final Object store = field(service, "store");
            final Object mvStore = field(store, "store");
            final Method closeImmediately = mvStore.getClass().getMethod("closeImmediately");
            closeImmediately.invoke(mvStore);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot reach the MVStore of the embedded service", e);
        }
    }

    private static Object field(final Object owner, final String name) throws ReflectiveOperationException {
        Class<?> type = owner.getClass();
        while (type != null) {
            try {
                final Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (final NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
