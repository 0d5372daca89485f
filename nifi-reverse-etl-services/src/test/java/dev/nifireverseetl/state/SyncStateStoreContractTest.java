package dev.nifireverseetl.state;

import dev.nifireverseetl.state.embedded.MvStoreSyncStateStore;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateStore;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SyncStateStore contract, on the embedded store and on PostgreSQL.
 */
class SyncStateStoreContractTest {

    private static final String SYNC = "s1";
    private static final String V1 = "0123456789abcdef0123456789abcdef";
    private static final String V2 = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path directory;
    private AutoCloseable toClose;

    @AfterEach
    void close() throws Exception {
        if (toClose != null) {
            toClose.close();
        }
    }

    private SyncStateStore store(final String backend) {
        if ("embedded".equals(backend)) {
            final MvStoreSyncStateStore store = new MvStoreSyncStateStore(directory, 8, Duration.ofHours(1), Clock.systemUTC());
            toClose = store;
            return store;
        }
        final DataSource dataSource = TestPostgres.freshDatabase();
        final JdbcSyncStateStore store = new JdbcSyncStateStore(dataSource::getConnection, Duration.ofHours(1));
        store.migrate();
        return store;
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "jdbc"})
    void acceptanceStoresExactlyTheGivenVersionAndFailuresNeverChangeIt(final String backend) {
        final SyncStateStore store = store(backend);
        store.recordAccepted(SYNC, List.of(new Acceptance("[\"1\"]", V1, Map.of("email", "00000000000000aa", "name", "plain-text-hash"), "hs-1", true)));
        store.recordFailed(SYNC, List.of(new Failure("[\"1\"]", V2, "INVALID_EMAIL")));
        final KeyState state = store.getStates(SYNC, List.of("[\"1\"]", "[\"2\"]")).get("[\"1\"]");
        assertEquals(V1, state.acceptedVersion());
        assertEquals(Map.of("email", "00000000000000aa", "name", "plain-text-hash"), state.acceptedFieldHashes());
        assertEquals("hs-1", state.destinationId());
        assertEquals(KeyState.Outcome.FAILED, state.lastOutcome());
        assertEquals("INVALID_EMAIL", state.lastError());
        assertEquals(1, store.getStates(SYNC, List.of("[\"1\"]", "[\"2\"]")).size());

        store.recordAccepted(SYNC, List.of(new Acceptance("[\"1\"]", "a-version-that-is-not-hex", Map.of(), null, false)));
        final KeyState again = store.getStates(SYNC, List.of("[\"1\"]")).get("[\"1\"]");
        assertEquals("a-version-that-is-not-hex", again.acceptedVersion());
        assertEquals("hs-1", again.destinationId(), "an acceptance without an id keeps the known one");
        assertEquals(KeyState.Outcome.ACCEPTED, again.lastOutcome());
        assertNull(again.lastError());
        final SyncStatistics statistics = store.getStatistics(SYNC);
        assertEquals(1, statistics.keys());
        assertEquals(1, statistics.accepted());
        assertEquals(0, statistics.failed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "jdbc"})
    void destinationIdsArePutAndForgotten(final String backend) {
        final SyncStateStore store = store(backend);
        store.putDestinationIds(SYNC, Map.of("[\"1\"]", "a", "[\"2\"]", "b"));
        store.recordAccepted(SYNC, List.of(new Acceptance("[\"1\"]", V1, Map.of(), null, null)));
        store.forgetDestinationIds(SYNC, List.of("[\"2\"]"));
        assertEquals(Map.of("[\"1\"]", "a"), store.getDestinationIds(SYNC, List.of("[\"1\"]", "[\"2\"]", "[\"3\"]")));
        assertEquals(V1, store.getStates(SYNC, List.of("[\"1\"]")).get("[\"1\"]").acceptedVersion());
        store.recordRemoved(SYNC, List.of("[\"1\"]"));
        assertTrue(store.getStates(SYNC, List.of("[\"1\"]")).isEmpty());
        assertTrue(store.getStates("other-sync", List.of("[\"2\"]")).isEmpty(), "syncs are separate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "jdbc"})
    void runListsUnseenAcceptedKeysAndDropsUnseenNeverAcceptedOnes(final String backend) {
        final SyncStateStore store = store(backend);
        final List<Acceptance> acceptances = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acceptances.add(new Acceptance("[\"" + i + "\"]", V1, Map.of(), "id-" + i, true));
        }
        store.recordAccepted(SYNC, acceptances);
        store.recordFailed(SYNC, List.of(new Failure("[\"never\"]", V2, "rejected")));
        try (SyncRun run = store.beginRun(SYNC)) {
            assertThrows(SyncStateException.class, () -> store.beginRun(SYNC));
            final List<String> firstHalf = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                firstHalf.add("[\"" + i + "\"]");
            }
            final SeenKeys seen = run.markSeen(firstHalf);
            assertEquals(10, seen.states().size());
            assertTrue(seen.alreadySeen().isEmpty());
            assertEquals(Set.of("[\"3\"]"), run.markSeen(List.of("[\"3\"]", "[\"new\"]")).alreadySeen());
            run.recordProposed(Map.of("[\"new\"]", V2, "[\"3\"]", V2));
            assertEquals(10, run.countUnseenAccepted());
            final List<String> removals = new ArrayList<>();
            run.forEachUnseenAccepted(state -> removals.add(state.key() + "=" + state.destinationId()));
            assertEquals(10, removals.size());
            assertTrue(removals.contains("[\"15\"]=id-15"));
            run.complete(new SyncRunStatistics(run.runId(), 1, 0, 10, 10, 0, 1L, 2L));
        }
        assertTrue(store.getStates(SYNC, List.of("[\"never\"]")).isEmpty(), "a never-accepted key the snapshot lacked is dropped");
        final KeyState proposed = store.getStates(SYNC, List.of("[\"3\"]")).get("[\"3\"]");
        assertEquals(V1, proposed.acceptedVersion(), "a proposal does not touch the accepted version");
        assertEquals(V2, proposed.proposedVersion());
        assertEquals(KeyState.Outcome.PROPOSED, proposed.lastOutcome());
        assertEquals(V2, store.getStates(SYNC, List.of("[\"new\"]")).get("[\"new\"]").proposedVersion());
        final SyncStatistics statistics = store.getStatistics(SYNC);
        assertEquals(21, statistics.keys());
        assertEquals(10, statistics.lastRun().removed());
        try (SyncRun next = store.beginRun(SYNC)) {
            assertTrue(Long.parseLong(next.runId()) > Long.parseLong(statistics.lastRun().runId()));
        }
    }
}
