package dev.nifireverseetl.processors.zendesk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskJobBoardTest {

    private static ZendeskJobStatus job(final String id, final String status) {
        return new ZendeskJobStatus(id, status, null, List.of());
    }

    @Test
    void onePollAnswersEveryTrackedJob() {
        final ZendeskJobBoard board = new ZendeskJobBoard(1_000);
        board.track("a");
        board.track("b");
        board.track("c");
        final List<String> asked = board.idsToPoll("a");
        assertEquals("a", asked.getFirst(), "the poller's own job first");
        assertEquals(3, asked.size());
        board.saw(asked, List.of(job("a", "completed"), job("b", "working"), job("c", "completed")));
        assertEquals("completed", board.takeFinished("c").status(), "c ends without a request of its own");
        assertNull(board.takeFinished("b"), "b is still running");
        assertEquals(List.of("b"), board.idsToPoll("b"), "the next poll asks for b only: a ended (its owner takes it from the board), c was taken");
    }

    @Test
    void aJobZendeskNoLongerKnowsExpiresForItsOwner() {
        final ZendeskJobBoard board = new ZendeskJobBoard(1_000);
        board.track("a");
        board.track("gone");
        board.saw(board.idsToPoll("a"), List.of(job("a", "working")));
        assertTrue(board.takeMissing("gone"));
        assertFalse(board.takeMissing("a"));
    }

    @Test
    void pollsAreSpacedWhicheverBatchSendsThem() {
        final ZendeskJobBoard board = new ZendeskJobBoard(1_000);
        assertEquals(0, board.claimPoll(10_000), "the first batch polls");
        assertEquals(600, board.claimPoll(10_400), "another batch waits for the next poll instead of sending its own");
        assertEquals(0, board.claimPoll(11_000));
    }
}
