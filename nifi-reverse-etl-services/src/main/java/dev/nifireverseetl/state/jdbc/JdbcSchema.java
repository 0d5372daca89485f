package dev.nifireverseetl.state.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the state schema. The applied migrations are listed in {@code retl_schema_version}; each runs
 * once, in one transaction, under a PostgreSQL advisory lock so that several nodes enabling the service at the same
 * time do not race. Migrations are append-only: never edit one that was released, add the next.
 */
final class JdbcSchema {

    /** The schema version this code needs. */
    static final int CURRENT_VERSION = 2;

    private static final long MIGRATION_LOCK = 0x7265746c5f737461L;

    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE retl_key_state (
                        sync_id TEXT NOT NULL,
                        row_key TEXT NOT NULL,
                        accepted_version TEXT,
                        accepted_field_hashes TEXT,
                        destination_id TEXT,
                        last_outcome SMALLINT,
                        last_error TEXT,
                        proposed_version TEXT,
                        proposed_run BIGINT,
                        PRIMARY KEY (sync_id, row_key))""",
                    """
                    CREATE TABLE retl_run (
                        sync_id TEXT NOT NULL,
                        run_id BIGINT NOT NULL,
                        status TEXT NOT NULL,
                        started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                        last_activity_at TIMESTAMP WITH TIME ZONE NOT NULL,
                        finished_at TIMESTAMP WITH TIME ZONE,
                        added BIGINT,
                        changed BIGINT,
                        removed BIGINT,
                        unchanged BIGINT,
                        invalid BIGINT,
                        diff_started_millis BIGINT,
                        diff_finished_millis BIGINT,
                        PRIMARY KEY (sync_id, run_id))""",
                    "CREATE UNIQUE INDEX retl_run_one_open ON retl_run (sync_id) WHERE status = 'OPEN'",
                    """
                    CREATE TABLE retl_run_seen (
                        sync_id TEXT NOT NULL,
                        run_id BIGINT NOT NULL,
                        row_key TEXT NOT NULL,
                        PRIMARY KEY (sync_id, run_id, row_key))"""),
            // the keys an open run has seen live only as long as the run (which holds its connection throughout): they
            // need no write-ahead log, and a database crash, which ends every open run, may lose them
            List.of("ALTER TABLE retl_run_seen SET UNLOGGED"));

    private JdbcSchema() {
    }

    /**
     * Applies the migrations the database lacks.
     *
     * @return the schema version after migrating
     */
    static int migrate(final Connection connection) throws SQLException {
        final boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS retl_schema_version (version INTEGER PRIMARY KEY, "
                    + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())");
            final int applied = appliedVersion(connection);
            if (applied > CURRENT_VERSION) {
                connection.rollback();
                throw new SQLException("The state schema is at version " + applied + ", newer than this service (" + CURRENT_VERSION
                        + "): upgrade the NAR on every node");
            }
            for (int version = applied + 1; version <= CURRENT_VERSION; version++) {
                for (final String sql : MIGRATIONS.get(version - 1)) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO retl_schema_version (version) VALUES (?)")) {
                    insert.setInt(1, version);
                    insert.executeUpdate();
                }
            }
            connection.commit();
            return CURRENT_VERSION;
        } catch (final SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * @return the highest applied version, 0 when the version table is empty
     */
    static int appliedVersion(final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM retl_schema_version")) {
            result.next();
            return result.getInt(1);
        }
    }
}
