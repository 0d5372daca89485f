package dev.nifireverseetl.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import org.apache.nifi.util.TestRunner;

import java.util.Map;

/**
 * One destination of the fault matrix: its emulator, a Put runner configured for it, how a model row becomes a
 * record, and what the emulator holds, in terms that compare with the model.
 */
interface SyncDestination extends AutoCloseable {

    String name();

    EmulatorServer server();

    /**
     * @return a new Put runner wired to the emulator, without a sync state service
     */
    TestRunner newPutRunner();

    /**
     * @return the record field DiffRecords keys on (and the Put processor matches on)
     */
    String keyField();

    /**
     * @return the model row as the warehouse query would emit it
     */
    ObjectNode record(ModelRow row);

    /**
     * @return the values the destination must hold for a record (DiffRecords output or model record)
     */
    Map<String, String> expected(JsonNode record);

    /**
     * @return the emulator's live records, key-field value to comparable values; fails on two records with one key
     */
    Map<String, Map<String, String>> contents();

    /**
     * @return the destination record id of each live record, by key-field value
     */
    Map<String, String> destinationIds();

    /**
     * @return a limiter of the destination's own kind that refuses (in the destination's format) all but its first
     * request, for 429 storms; null when the destination documents no such refusal (Salesforce)
     */
    RateLimiter exhaustedLimiter();

    @Override
    void close();
}
