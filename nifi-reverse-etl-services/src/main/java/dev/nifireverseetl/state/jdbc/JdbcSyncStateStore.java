package dev.nifireverseetl.state.jdbc;

import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.Failure;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.state.SyncStatistics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shared sync state in PostgreSQL: every NiFi node of a cluster sees one state. Every call is batched (arrays
 * with {@code = ANY(?)} and {@code unnest}, multi-row {@code INSERT ... ON CONFLICT} upserts), chunked to
 * {@value #CHUNK} keys per statement. Upserts lock rows in key order, so concurrent batches of several nodes do not
 * deadlock each other; a deadlock or serialization failure reported by the database is retried.
 * <p>
 * Runs live in {@code retl_run}; a unique partial index allows one open run per sync across the cluster. The keys a
 * run saw go to {@code retl_run_seen}.
 */
public final class JdbcSyncStateStore implements SyncStateStore {

    static final int CHUNK = 5_000;
    static final String KEY_COLUMNS = "row_key, accepted_version, accepted_field_hashes, destination_id, last_outcome, last_error, "
            + "proposed_version, proposed_run";

    static final int ATTEMPTS = 3;
    private static final KeyState.Outcome[] OUTCOMES = KeyState.Outcome.values();

    private final ConnectionSource connections;
    private final Duration abandonedRunTimeout;

    public JdbcSyncStateStore(final ConnectionSource connections, final Duration abandonedRunTimeout) {
        this.connections = connections;
        this.abandonedRunTimeout = abandonedRunTimeout;
    }

    /**
     * Creates or migrates the schema.
     *
     * @return the schema version
     */
    public int migrate() {
        try (Connection connection = connections.getConnection()) {
            return JdbcSchema.migrate(connection);
        } catch (final SQLException e) {
            throw failure("create or migrate the state schema", e);
        }
    }

    /**
     * @return the syncs with state, and their key counts
     */
    public Map<String, Long> keyCountsPerSync() {
        final Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = connections.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT sync_id, count(*) FROM retl_key_state GROUP BY sync_id");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                counts.put(result.getString(1), result.getLong(2));
            }
            return counts;
        } catch (final SQLException e) {
            throw failure("count the keys per sync", e);
        }
    }

    @Override
    public SyncRun beginRun(final String syncId) {
        requireSyncId(syncId);
        long expiredRun = -1;
        final long runNumber;
        try (Connection connection = connections.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement open = connection.prepareStatement("SELECT run_id, last_activity_at < clock_timestamp() - make_interval(secs => ?), "
                        + "EXTRACT(EPOCH FROM clock_timestamp() - last_activity_at) FROM retl_run WHERE sync_id = ? AND status = 'OPEN' FOR UPDATE")) {
                    open.setDouble(1, abandonedRunTimeout.toMillis() / 1000.0);
                    open.setString(2, syncId);
                    try (ResultSet result = open.executeQuery()) {
                        if (result.next()) {
                            if (!result.getBoolean(2)) {
                                throw new SyncStateException("Run " + result.getLong(1) + " of sync " + syncId + " is still open (idle for "
                                        + (long) result.getDouble(3) + " s; it expires after " + abandonedRunTimeout.toSeconds() + " s without activity)");
                            }
                            expiredRun = result.getLong(1);
                        }
                    }
                }
                if (expiredRun >= 0) {
                    try (PreparedStatement expire = connection.prepareStatement(
                            "UPDATE retl_run SET status = 'EXPIRED', finished_at = now() WHERE sync_id = ? AND run_id = ?")) {
                        expire.setString(1, syncId);
                        expire.setLong(2, expiredRun);
                        expire.executeUpdate();
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO retl_run (sync_id, run_id, status, started_at, last_activity_at) "
                        + "SELECT ?, COALESCE(MAX(run_id), 0) + 1, 'OPEN', now(), now() FROM retl_run WHERE sync_id = ? RETURNING run_id")) {
                    insert.setString(1, syncId);
                    insert.setString(2, syncId);
                    try (ResultSet result = insert.executeQuery()) {
                        result.next();
                        runNumber = result.getLong(1);
                    }
                }
                connection.commit();
            } catch (final SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (final SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new SyncStateException("Another run of sync " + syncId + " started at the same time (on this or another node)", e);
            }
            throw failure("begin a run", e);
        }
        if (expiredRun >= 0) {
            deleteSeen(syncId, expiredRun);
        }
        return new JdbcSyncRun(this, syncId, runNumber);
    }

    @Override
    public Map<String, KeyState> getStates(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final Map<String, KeyState> found = new HashMap<>();
        final List<String> all = new ArrayList<>(keys);
        try (Connection connection = connections.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + KEY_COLUMNS + " FROM retl_key_state WHERE sync_id = ? AND row_key = ANY(?)")) {
            for (int start = 0; start < all.size(); start += CHUNK) {
                select.setString(1, syncId);
                select.setArray(2, connection.createArrayOf("text", all.subList(start, Math.min(all.size(), start + CHUNK)).toArray()));
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        final KeyState state = readState(result);
                        found.put(state.key(), state);
                    }
                }
            }
            return found;
        } catch (final SQLException e) {
            throw failure("read key states", e);
        }
    }

    @Override
    public void recordAccepted(final String syncId, final Collection<Acceptance> acceptances) {
        requireSyncId(syncId);
        final TreeMap<String, Acceptance> byKey = new TreeMap<>();
        for (final Acceptance acceptance : acceptances) {
            byKey.put(acceptance.key(), acceptance);
        }
        final List<Acceptance> sorted = new ArrayList<>(byKey.values());
        upsertChunks(syncId, sorted.size(), "record acceptances", (connection, statement, start, end) -> {
            final List<Acceptance> chunk = sorted.subList(start, end);
            statement.setString(1, syncId);
            statement.setArray(2, connection.createArrayOf("text", chunk.stream().map(Acceptance::key).toArray()));
            statement.setArray(3, connection.createArrayOf("text", chunk.stream().map(Acceptance::version).toArray()));
            statement.setArray(4, connection.createArrayOf("text", chunk.stream().map(a -> SyncRecordFields.encodeFieldHashes(a.fieldHashes())).toArray()));
            statement.setArray(5, connection.createArrayOf("text", chunk.stream().map(Acceptance::destinationId).toArray()));
        }, "INSERT INTO retl_key_state (sync_id, row_key, accepted_version, accepted_field_hashes, destination_id, last_outcome) "
                + "SELECT ?, k, v, h, d, " + KeyState.Outcome.ACCEPTED.ordinal() + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS t(k, v, h, d) "
                + "ON CONFLICT (sync_id, row_key) DO UPDATE SET accepted_version = EXCLUDED.accepted_version, "
                + "accepted_field_hashes = EXCLUDED.accepted_field_hashes, "
                + "destination_id = COALESCE(EXCLUDED.destination_id, retl_key_state.destination_id), "
                + "last_outcome = EXCLUDED.last_outcome, last_error = NULL");
    }

    @Override
    public void recordFailed(final String syncId, final Collection<Failure> failures) {
        requireSyncId(syncId);
        final TreeMap<String, Failure> byKey = new TreeMap<>();
        for (final Failure failure : failures) {
            byKey.put(failure.key(), failure);
        }
        final List<Failure> sorted = new ArrayList<>(byKey.values());
        upsertChunks(syncId, sorted.size(), "record failures", (connection, statement, start, end) -> {
            final List<Failure> chunk = sorted.subList(start, end);
            statement.setString(1, syncId);
            statement.setArray(2, connection.createArrayOf("text", chunk.stream().map(Failure::key).toArray()));
            statement.setArray(3, connection.createArrayOf("text", chunk.stream().map(Failure::reason).toArray()));
        }, "INSERT INTO retl_key_state (sync_id, row_key, last_outcome, last_error) "
                + "SELECT ?, k, " + KeyState.Outcome.FAILED.ordinal() + ", e FROM unnest(?::text[], ?::text[]) AS t(k, e) "
                + "ON CONFLICT (sync_id, row_key) DO UPDATE SET last_outcome = EXCLUDED.last_outcome, last_error = EXCLUDED.last_error");
    }

    @Override
    public void recordRemoved(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
        upsertChunks(syncId, sorted.size(), "record removals", (connection, statement, start, end) -> {
            statement.setString(1, syncId);
            statement.setArray(2, connection.createArrayOf("text", sorted.subList(start, end).toArray()));
        }, "DELETE FROM retl_key_state WHERE sync_id = ? AND row_key = ANY(?)");
    }

    @Override
    public Map<String, String> getDestinationIds(final String syncId, final Collection<String> keys) {
        final Map<String, String> ids = new HashMap<>();
        for (final KeyState state : getStates(syncId, keys).values()) {
            if (state.destinationId() != null) {
                ids.put(state.key(), state.destinationId());
            }
        }
        return ids;
    }

    @Override
    public void putDestinationIds(final String syncId, final Map<String, String> destinationIdsByKey) {
        requireSyncId(syncId);
        final List<Map.Entry<String, String>> sorted = new ArrayList<>(new TreeMap<>(destinationIdsByKey).entrySet());
        upsertChunks(syncId, sorted.size(), "store destination ids", (connection, statement, start, end) -> {
            final List<Map.Entry<String, String>> chunk = sorted.subList(start, end);
            statement.setString(1, syncId);
            statement.setArray(2, connection.createArrayOf("text", chunk.stream().map(Map.Entry::getKey).toArray()));
            statement.setArray(3, connection.createArrayOf("text", chunk.stream().map(Map.Entry::getValue).toArray()));
        }, "INSERT INTO retl_key_state (sync_id, row_key, destination_id) SELECT ?, k, d FROM unnest(?::text[], ?::text[]) AS t(k, d) "
                + "ON CONFLICT (sync_id, row_key) DO UPDATE SET destination_id = EXCLUDED.destination_id");
    }

    @Override
    public void forgetDestinationIds(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
        upsertChunks(syncId, sorted.size(), "forget destination ids", (connection, statement, start, end) -> {
            statement.setString(1, syncId);
            statement.setArray(2, connection.createArrayOf("text", sorted.subList(start, end).toArray()));
        }, "UPDATE retl_key_state SET destination_id = NULL WHERE sync_id = ? AND row_key = ANY(?)");
    }

    @Override
    public SyncStatistics getStatistics(final String syncId) {
        requireSyncId(syncId);
        try (Connection connection = connections.getConnection()) {
            final long keys;
            final long accepted;
            final long failed;
            try (PreparedStatement counts = connection.prepareStatement("SELECT count(*), count(accepted_version), count(*) FILTER (WHERE last_outcome = "
                    + KeyState.Outcome.FAILED.ordinal() + ") FROM retl_key_state WHERE sync_id = ?")) {
                counts.setString(1, syncId);
                try (ResultSet result = counts.executeQuery()) {
                    result.next();
                    keys = result.getLong(1);
                    accepted = result.getLong(2);
                    failed = result.getLong(3);
                }
            }
            SyncRunStatistics lastRun = null;
            try (PreparedStatement last = connection.prepareStatement("SELECT run_id, added, changed, removed, unchanged, invalid, diff_started_millis, "
                    + "diff_finished_millis FROM retl_run WHERE sync_id = ? AND status = 'COMPLETED' ORDER BY run_id DESC LIMIT 1")) {
                last.setString(1, syncId);
                try (ResultSet result = last.executeQuery()) {
                    if (result.next()) {
                        lastRun = new SyncRunStatistics(Long.toString(result.getLong(1)), result.getLong(2), result.getLong(3), result.getLong(4),
                                result.getLong(5), result.getLong(6), result.getLong(7), result.getLong(8));
                    }
                }
            }
            return new SyncStatistics(syncId, keys, accepted, failed, lastRun);
        } catch (final SQLException e) {
            throw failure("read the statistics", e);
        }
    }

    // ---- used by JdbcSyncRun

    ConnectionSource connections() {
        return connections;
    }

    void deleteSeen(final String syncId, final long runId) {
        try (Connection connection = connections.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM retl_run_seen WHERE sync_id = ? AND run_id = ?")) {
            delete.setString(1, syncId);
            delete.setLong(2, runId);
            delete.executeUpdate();
        } catch (final SQLException e) {
            throw failure("clean up a run", e);
        }
    }

    static KeyState readState(final ResultSet result) throws SQLException {
        return readState(result, 1);
    }

    /**
     * Reads the {@link #KEY_COLUMNS} that start at column {@code first}.
     */
    static KeyState readState(final ResultSet result, final int first) throws SQLException {
        final int offset = first - 1;
        final short outcome = result.getShort(offset + 5);
        final boolean outcomeNull = result.wasNull();
        final long proposedRun = result.getLong(offset + 8);
        final boolean proposedRunNull = result.wasNull();
        return new KeyState(result.getString(offset + 1), result.getString(offset + 2), SyncRecordFields.decodeFieldHashes(result.getString(offset + 3)),
                result.getString(offset + 4), outcomeNull ? null : OUTCOMES[outcome], result.getString(offset + 6), result.getString(offset + 7),
                proposedRunNull ? null : Long.toString(proposedRun));
    }

    static SyncStateException failure(final String action, final SQLException e) {
        return new SyncStateException("Cannot " + action + " in the state database: " + e.getMessage() + " (SQL state " + e.getSQLState() + ")", e);
    }

    /**
     * Runs a statement once per chunk, in one transaction, retrying the whole call on a deadlock or serialization failure.
     */
    void upsertChunks(final String syncId, final int size, final String action, final ChunkBinder binder, final String sql) {
        if (size == 0) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = connections.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int start = 0; start < size; start += CHUNK) {
                        binder.bind(connection, statement, start, Math.min(size, start + CHUNK));
                        statement.executeUpdate();
                    }
                    connection.commit();
                    return;
                } catch (final SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (final SQLException e) {
                if (!isTransient(e) || attempt >= ATTEMPTS) {
                    throw failure(action + " of sync " + syncId, e);
                }
            }
        }
    }

    /**
     * @return whether the database reported a deadlock or serialization failure (the transaction may be retried)
     */
    static boolean isTransient(final SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    /**
     * Binds one chunk [start, end) of a batch to a statement.
     */
    @FunctionalInterface
    interface ChunkBinder {
        void bind(Connection connection, PreparedStatement statement, int start, int end) throws SQLException;
    }

    private static void requireSyncId(final String syncId) {
        if (syncId == null || syncId.isBlank()) {
            throw new SyncStateException("A Sync ID is required");
        }
    }
}
