package dev.nifireverseetl.state.jdbc;

import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SeenKeys;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One run over the JDBC store. It holds one connection while it is open. The run's row in {@code retl_run} is
 * touched at most every {@value #HEARTBEAT_MILLIS} ms; a touch that finds the run no longer open (another node
 * expired it) fails the run.
 */
final class JdbcSyncRun implements SyncRun {

    private static final long HEARTBEAT_MILLIS = 5_000;
    private static final String UNSEEN_ACCEPTED = " FROM retl_key_state s WHERE s.sync_id = ? AND s.accepted_version IS NOT NULL "
            + "AND NOT EXISTS (SELECT 1 FROM retl_run_seen r WHERE r.sync_id = s.sync_id AND r.run_id = ? AND r.row_key = s.row_key)";
    /**
     * One round trip per chunk: marks the keys seen (the keys the insert did not return were seen before: duplicates)
     * and returns their state. The accepted field hashes are left out where the accepted version equals the caller's
     * current version (an unchanged row does not need them).
     */
    private static final String MARK_AND_LOOK_UP = "WITH batch AS (SELECT k, v FROM unnest(?::text[], ?::text[]) AS t(k, v)), "
            + "inserted AS (INSERT INTO retl_run_seen (sync_id, run_id, row_key) SELECT ?, ?, k FROM batch ON CONFLICT DO NOTHING RETURNING row_key) "
            + "SELECT batch.k, inserted.row_key IS NOT NULL, s.row_key, s.accepted_version, "
            + "CASE WHEN s.accepted_version = batch.v THEN NULL ELSE s.accepted_field_hashes END, s.destination_id, s.last_outcome, s.last_error, "
            + "s.proposed_version, s.proposed_run FROM batch LEFT JOIN inserted ON inserted.row_key = batch.k "
            + "LEFT JOIN retl_key_state s ON s.sync_id = ? AND s.row_key = batch.k";
    private static final String RECORD_PROPOSED = "INSERT INTO retl_key_state (sync_id, proposed_run, row_key, proposed_version, last_outcome) SELECT ?, ?, k, v, "
            + KeyState.Outcome.PROPOSED.ordinal() + " FROM unnest(?::text[], ?::text[]) AS t(k, v) "
            + "ON CONFLICT (sync_id, row_key) DO UPDATE SET proposed_version = EXCLUDED.proposed_version, "
            + "proposed_run = EXCLUDED.proposed_run, last_outcome = EXCLUDED.last_outcome";

    private final JdbcSyncStateStore owner;
    private final String syncId;
    private final long runNumber;
    private Connection connection;
    private long lastHeartbeat;
    private boolean ended;
    private boolean analyzed;

    JdbcSyncRun(final JdbcSyncStateStore owner, final String syncId, final long runNumber) {
        this.owner = owner;
        this.syncId = syncId;
        this.runNumber = runNumber;
        this.lastHeartbeat = System.currentTimeMillis();
    }

    @Override
    public String runId() {
        return Long.toString(runNumber);
    }

    @Override
    public SeenKeys markSeen(final Collection<String> keys, final Map<String, String> currentVersions) {
        final List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys));
        final Set<String> alreadySeen = new HashSet<>();
        final Map<String, KeyState> states = new HashMap<>();
        try {
            final Connection open = connection();
            heartbeat(open);
            try (PreparedStatement markAndLookUp = open.prepareStatement(MARK_AND_LOOK_UP)) {
                for (int start = 0; start < unique.size(); start += JdbcSyncStateStore.CHUNK) {
                    final List<String> chunk = unique.subList(start, Math.min(unique.size(), start + JdbcSyncStateStore.CHUNK));
                    final String[] versions = new String[chunk.size()];
                    for (int i = 0; i < versions.length; i++) {
                        versions[i] = currentVersions.get(chunk.get(i));
                    }
                    markAndLookUp.setArray(1, open.createArrayOf("text", chunk.toArray()));
                    markAndLookUp.setArray(2, open.createArrayOf("text", versions));
                    markAndLookUp.setString(3, syncId);
                    markAndLookUp.setLong(4, runNumber);
                    markAndLookUp.setString(5, syncId);
                    try (ResultSet result = markAndLookUp.executeQuery()) {
                        while (result.next()) {
                            if (!result.getBoolean(2)) {
                                alreadySeen.add(result.getString(1));
                            }
                            if (result.getString(3) != null) {
                                final KeyState state = JdbcSyncStateStore.readState(result, 3);
                                states.put(state.key(), state);
                            }
                        }
                    }
                }
            }
            return new SeenKeys(states, alreadySeen);
        } catch (final SQLException e) {
            throw JdbcSyncStateStore.failure("look up snapshot keys", e);
        }
    }

    @Override
    public void recordProposed(final Map<String, String> versionsByKey) {
        if (versionsByKey.isEmpty()) {
            return;
        }
        final List<Map.Entry<String, String>> sorted = new ArrayList<>(new TreeMap<>(versionsByKey).entrySet());
        for (int attempt = 1; ; attempt++) {
            try {
                final Connection open = connection();
                open.setAutoCommit(false);
                try (Statement asynchronous = open.createStatement(); PreparedStatement upsert = open.prepareStatement(RECORD_PROPOSED)) {
                    // no need to wait for the disk: the run's output counts only once complete() (or abort()) committed
                    // synchronously, which also makes every earlier commit of this connection durable
                    asynchronous.execute("SET LOCAL synchronous_commit TO OFF");
                    for (int start = 0; start < sorted.size(); start += JdbcSyncStateStore.CHUNK) {
                        final List<Map.Entry<String, String>> chunk = sorted.subList(start, Math.min(sorted.size(), start + JdbcSyncStateStore.CHUNK));
                        upsert.setString(1, syncId);
                        upsert.setLong(2, runNumber);
                        upsert.setArray(3, open.createArrayOf("text", chunk.stream().map(Map.Entry::getKey).toArray()));
                        upsert.setArray(4, open.createArrayOf("text", chunk.stream().map(Map.Entry::getValue).toArray()));
                        upsert.executeUpdate();
                    }
                    open.commit();
                    return;
                } catch (final SQLException e) {
                    open.rollback();
                    throw e;
                } finally {
                    open.setAutoCommit(true);
                }
            } catch (final SQLException e) {
                if (!JdbcSyncStateStore.isTransient(e) || attempt >= JdbcSyncStateStore.ATTEMPTS) {
                    throw JdbcSyncStateStore.failure("record proposed versions of sync " + syncId, e);
                }
            }
        }
    }

    @Override
    public long countUnseenAccepted() {
        try {
            final Connection open = connection();
            heartbeat(open);
            analyze(open);
            try (PreparedStatement count = open.prepareStatement("SELECT count(*)" + UNSEEN_ACCEPTED)) {
                count.setString(1, syncId);
                count.setLong(2, runNumber);
                try (ResultSet result = count.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        } catch (final SQLException e) {
            throw JdbcSyncStateStore.failure("count the removals", e);
        }
    }

    @Override
    public void forEachUnseenAccepted(final Consumer<KeyState> consumer) {
        try {
            final Connection open = connection();
            heartbeat(open);
            open.setAutoCommit(false);
            try (PreparedStatement select = open.prepareStatement("SELECT s." + JdbcSyncStateStore.KEY_COLUMNS.replace(", ", ", s.")
                    + UNSEEN_ACCEPTED + " ORDER BY s.row_key")) {
                select.setFetchSize(1_000);
                select.setString(1, syncId);
                select.setLong(2, runNumber);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        consumer.accept(JdbcSyncStateStore.readState(result));
                    }
                }
                open.commit();
            } finally {
                open.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw JdbcSyncStateStore.failure("list the removals", e);
        }
    }

    @Override
    public void complete(final SyncRunStatistics statistics) {
        try {
            final Connection open = connection();
            analyze(open);
            open.setAutoCommit(false);
            try {
                try (PreparedStatement lock = open.prepareStatement("SELECT status FROM retl_run WHERE sync_id = ? AND run_id = ? FOR UPDATE")) {
                    lock.setString(1, syncId);
                    lock.setLong(2, runNumber);
                    try (ResultSet result = lock.executeQuery()) {
                        if (!result.next()) {
                            throw notOpen("gone");
                        }
                        if (!"OPEN".equals(result.getString(1))) {
                            throw notOpen(result.getString(1));
                        }
                    }
                }
                try (PreparedStatement drop = open.prepareStatement("DELETE FROM retl_key_state s WHERE s.sync_id = ? AND s.accepted_version IS NULL "
                        + "AND NOT EXISTS (SELECT 1 FROM retl_run_seen r WHERE r.sync_id = s.sync_id AND r.run_id = ? AND r.row_key = s.row_key)")) {
                    drop.setString(1, syncId);
                    drop.setLong(2, runNumber);
                    drop.executeUpdate();
                }
                try (PreparedStatement finish = open.prepareStatement("UPDATE retl_run SET status = 'COMPLETED', finished_at = now(), added = ?, changed = ?, "
                        + "removed = ?, unchanged = ?, invalid = ?, diff_started_millis = ?, diff_finished_millis = ? WHERE sync_id = ? AND run_id = ?")) {
                    finish.setLong(1, statistics.added());
                    finish.setLong(2, statistics.changed());
                    finish.setLong(3, statistics.removed());
                    finish.setLong(4, statistics.unchanged());
                    finish.setLong(5, statistics.invalid());
                    finish.setLong(6, statistics.startedAtMillis());
                    finish.setLong(7, statistics.finishedAtMillis());
                    finish.setString(8, syncId);
                    finish.setLong(9, runNumber);
                    finish.executeUpdate();
                }
                deleteSeen(open);
                open.commit();
            } catch (final SQLException | RuntimeException e) {
                open.rollback();
                throw e;
            } finally {
                open.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw JdbcSyncStateStore.failure("complete the run", e);
        } finally {
            release();
        }
    }

    @Override
    public void abort() {
        if (ended) {
            return;
        }
        try {
            final Connection open = connection();
            open.setAutoCommit(false);
            try {
                try (PreparedStatement abort = open.prepareStatement(
                        "UPDATE retl_run SET status = 'ABORTED', finished_at = now() WHERE sync_id = ? AND run_id = ? AND status = 'OPEN'")) {
                    abort.setString(1, syncId);
                    abort.setLong(2, runNumber);
                    abort.executeUpdate();
                }
                deleteSeen(open);
                open.commit();
            } catch (final SQLException e) {
                open.rollback();
                throw e;
            } finally {
                open.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw JdbcSyncStateStore.failure("abort the run", e);
        } finally {
            release();
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void deleteSeen(final Connection open) throws SQLException {
        try (PreparedStatement delete = open.prepareStatement("DELETE FROM retl_run_seen WHERE sync_id = ? AND run_id = ?")) {
            delete.setString(1, syncId);
            delete.setLong(2, runNumber);
            delete.executeUpdate();
        }
    }

    /**
     * Refreshes the planner statistics once per run before the anti-joins over the seen keys: a run may have inserted
     * millions of rows since autovacuum last looked, and stale estimates turn the anti-join into a nested loop.
     */
    private void analyze(final Connection open) throws SQLException {
        if (analyzed) {
            return;
        }
        try (Statement statement = open.createStatement()) {
            statement.execute("ANALYZE retl_run_seen, retl_key_state");
        }
        analyzed = true;
    }

    private void heartbeat(final Connection open) throws SQLException {
        requireOpen();
        final long now = System.currentTimeMillis();
        if (now - lastHeartbeat < HEARTBEAT_MILLIS) {
            return;
        }
        try (PreparedStatement touch = open.prepareStatement(
                "UPDATE retl_run SET last_activity_at = now() WHERE sync_id = ? AND run_id = ? AND status = 'OPEN'")) {
            touch.setString(1, syncId);
            touch.setLong(2, runNumber);
            if (touch.executeUpdate() == 0) {
                throw notOpen("expired");
            }
        }
        lastHeartbeat = now;
    }

    private SyncStateException notOpen(final String status) {
        return new SyncStateException("Run " + runNumber + " of sync " + syncId + " is no longer open (" + status.toLowerCase()
                + "): it was idle too long and a newer run replaced it");
    }

    private void requireOpen() {
        if (ended) {
            throw new SyncStateException("Run " + runNumber + " of sync " + syncId + " has ended");
        }
    }

    private Connection connection() throws SQLException {
        requireOpen();
        if (connection == null) {
            connection = owner.connections().getConnection();
        }
        return connection;
    }

    private void release() {
        ended = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (final SQLException ignored) {
                // the run has ended either way; the pool discards a broken connection
            }
            connection = null;
        }
    }
}
