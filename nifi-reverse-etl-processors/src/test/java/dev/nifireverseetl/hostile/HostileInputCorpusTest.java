package dev.nifireverseetl.hostile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.HubSpotAuthenticationStrategy;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.processors.pii.HashPII;
import dev.nifireverseetl.processors.pii.HashPreset;
import dev.nifireverseetl.processors.resolve.ResolveDestination;
import dev.nifireverseetl.processors.resolve.ResolveExternalIds;
import dev.nifireverseetl.processors.salesforce.PutSalesforce;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.processors.zendesk.PutZendesk;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bad-input corpus: hostile inputs for all six processors, each with the relationships its records must reach and
 * the reason the routing must carry. For every case: the run does not throw, the input queue is empty afterwards,
 * records in = records out (JSON lines of the input = JSON lines on the output relationships; a FlowFile that cannot be
 * read leaves whole, so its lines count too), error logs carry no programming-error exception, and neither the secret
 * of the destination nor the case's raw PII appears in any log message at any level.
 */
class HostileInputCorpusTest {

    static final String HUBSPOT_TOKEN = "pat-na1-corpus-5ecret-hubspot";
    static final String ZENDESK_TOKEN = "zd-corpus-5ecret-token";
    static final String ZENDESK_EMAIL = "agent@corpus.example";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String MEGABYTE = "x".repeat(1 << 20);
    static final String LONG_KEY = "k".repeat(100_000);
    private static final Set<Class<? extends Throwable>> PROGRAMMING_ERRORS = Set.of(NullPointerException.class, ClassCastException.class,
            NumberFormatException.class, IllegalStateException.class, IndexOutOfBoundsException.class, ArrayIndexOutOfBoundsException.class,
            StringIndexOutOfBoundsException.class, ArithmeticException.class, UnsupportedOperationException.class);

    @TempDir
    Path stateDirectory;

    enum Target { DIFF, HASH, RESOLVE, HUBSPOT, SALESFORCE, ZENDESK }

    /**
     * One corpus entry.
     *
     * @param name      what is hostile about the input
     * @param target    the processor
     * @param configure extra configuration of the runner
     * @param before    inputs run (and cleared) before the hostile one: schema drift between runs
     * @param input     the hostile FlowFile content
     * @param expected  the relationships that must receive FlowFiles (exactly these)
     * @param reason    a substring of the reason the routed output must carry (attributes or record fields), or null
     * @param rawPii    values that must never appear in a log message
     */
    record Case(String name, Target target, Consumer<TestRunner> configure, List<String> before, byte[] input, Set<String> expected, String reason,
                List<String> rawPii) {

        @Override
        public String toString() {
            return target + ": " + name;
        }
    }

    static Case of(final Target target, final String name, final String input, final Set<String> expected, final String reason, final String... rawPii) {
        return new Case(name, target, runner -> { }, List.of(), input.getBytes(StandardCharsets.UTF_8), expected, reason, List.of(rawPii));
    }

    static Case drift(final Target target, final String name, final String before, final String input, final Set<String> expected, final String reason) {
        return new Case(name, target, runner -> { }, List.of(before), input.getBytes(StandardCharsets.UTF_8), expected, reason, List.of());
    }

    static Case configured(final Target target, final String name, final Consumer<TestRunner> configure, final String input, final Set<String> expected,
                           final String reason) {
        return new Case(name, target, configure, List.of(), input.getBytes(StandardCharsets.UTF_8), expected, reason, List.of());
    }

    static Case bytes(final Target target, final String name, final byte[] input, final Set<String> expected, final String reason) {
        return new Case(name, target, runner -> { }, List.of(), input, expected, reason, List.of());
    }

    static String lines(final String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /**
     * @return a record as DiffRecords emits it: the given JSON fields plus _retl_op, _retl_key, _retl_version
     */
    static String synced(final String key, final String fields) {
        final String quotedKey = "[\\\"" + key + "\\\"]";
        return "{" + fields + (fields.isEmpty() ? "" : ",") + "\"_retl_op\":\"added\",\"_retl_key\":\"" + quotedKey + "\",\"_retl_version\":\"v1-" + Math.abs(key.hashCode())
                + "\",\"_retl_run_id\":\"run-1\"}";
    }

    static final byte[] BINARY = {0, (byte) 0xFF, (byte) 0xFE, 0x1F, (byte) 0x8B, 0x08, 0, 0, (byte) 0xC3, 0x28, '\n'};

    static List<Case> corpus() {
        final List<Case> cases = new ArrayList<>();
        final Set<String> none = Set.of();
        // DiffRecords: Key Fields = id
        cases.add(of(Target.DIFF, "empty FlowFile (first run: nothing to diff, nothing to remove)", "", none, null));
        cases.add(drift(Target.DIFF, "empty snapshot after accepted rows (delete-safety guard)", lines("{\"id\":\"1\"}", "{\"id\":\"2\"}"), "",
                Set.of("failure"), "EMPTY"));
        cases.add(of(Target.DIFF, "unreadable text", "this is not json\n", Set.of("failure"), "UNREADABLE"));
        cases.add(bytes(Target.DIFF, "binary garbage", BINARY, Set.of("failure"), "UNREADABLE"));
        cases.add(of(Target.DIFF, "truncated JSON", "{\"id\":\"1\",\"name\":\"a\"\n", Set.of("failure"), "UNREADABLE"));
        cases.add(of(Target.DIFF, "null key", lines("{\"id\":null,\"name\":\"x\"}", "{\"id\":\"2\",\"name\":\"y\"}"), Set.of("added", "failure"), "is null"));
        cases.add(of(Target.DIFF, "missing key field", lines("{\"name\":\"x\"}", "{\"id\":\"2\",\"name\":\"y\"}"), Set.of("added", "failure"), "'id'"));
        cases.add(of(Target.DIFF, "empty key", lines("{\"id\":\"\",\"name\":\"x\"}", "{\"id\":\"2\",\"name\":\"y\"}"), Set.of("added", "failure"), "empty"));
        cases.add(of(Target.DIFF, "duplicate keys", lines("{\"id\":\"1\",\"name\":\"x\"}", "{\"id\":\"1\",\"name\":\"y\"}", "{\"id\":\"2\",\"name\":\"z\"}"),
                Set.of("added", "failure"), "more than once"));
        cases.add(of(Target.DIFF, "100k-character key", lines("{\"id\":\"" + LONG_KEY + "\",\"name\":\"x\"}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "1 MB field value", lines("{\"id\":\"1\",\"blob\":\"" + MEGABYTE + "\"}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "combining marks vs precomposed keys", lines("{\"id\":\"e\u0301\",\"n\":1}", "{\"id\":\"\u00e9\",\"n\":2}"),
                Set.of("added"), null));
        cases.add(of(Target.DIFF, "RTL and surrogate-pair keys", lines("{\"id\":\"\u05e9\u05dc\u05d5\u05dd\u200f\",\"n\":1}", "{\"id\":\"\ud83d\ude00\ud834\udd1e\",\"n\":2}"),
                Set.of("added"), null));
        cases.add(of(Target.DIFF, "lone surrogate in a value", lines("{\"id\":\"1\",\"name\":\"\\ud800x\"}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "key number out of double range", lines("{\"id\":1e400,\"n\":1}", "{\"id\":2,\"n\":2}"), Set.of("added", "failure"), "not a finite number"));
        cases.add(of(Target.DIFF, "value number out of double range", lines("{\"id\":1,\"n\":1e400}", "{\"id\":2,\"n\":-1e400}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "huge integer key", lines("{\"id\":123456789012345678901234567890,\"n\":1}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "dates before 1970 and after 2100",
                lines("{\"id\":\"1\",\"born\":\"1901-12-13\",\"at\":\"1969-12-31T23:59:59Z\"}", "{\"id\":\"2\",\"born\":\"2999-12-31\",\"at\":\"2101-01-01T00:00:00Z\"}",
                        "{\"id\":\"3\",\"born\":\"0001-01-01\",\"at\":\"9999-12-31T23:59:59Z\"}"), Set.of("added"), null));
        cases.add(of(Target.DIFF, "nested object as key", lines("{\"id\":{\"a\":1},\"n\":1}"), Set.of("added"), null));
        cases.add(drift(Target.DIFF, "column added between runs", lines("{\"id\":\"1\",\"name\":\"x\"}"), lines("{\"id\":\"1\",\"name\":\"x\",\"extra\":\"e\"}"),
                Set.of("changed"), null));
        cases.add(drift(Target.DIFF, "column removed between runs", lines("{\"id\":\"1\",\"name\":\"x\",\"age\":3}"), lines("{\"id\":\"1\",\"name\":\"x\"}"),
                Set.of("changed"), null));
        cases.add(drift(Target.DIFF, "column renamed between runs", lines("{\"id\":\"1\",\"name\":\"x\"}"), lines("{\"id\":\"1\",\"full_name\":\"x\"}"),
                Set.of("changed"), null));
        cases.add(drift(Target.DIFF, "column type changed between runs", lines("{\"id\":\"1\",\"score\":\"abc\"}"), lines("{\"id\":\"1\",\"score\":5.5}"),
                Set.of("changed"), null));
        cases.add(drift(Target.DIFF, "key type changed between runs (string to number)", lines("{\"id\":\"7\",\"n\":1}"), lines("{\"id\":7,\"n\":1}"),
                Set.of("unchanged"), null));

        // HashPII: Meta preset, email and phone fields
        final String badEmail = "jane.smith.example.com";
        cases.add(of(Target.HASH, "empty FlowFile", "", Set.of("success"), null));
        cases.add(of(Target.HASH, "unreadable text", "not json at all\n", Set.of("failure"), "Cannot read"));
        cases.add(bytes(Target.HASH, "binary garbage", BINARY, Set.of("failure"), "Cannot read"));
        cases.add(of(Target.HASH, "invalid email", lines("{\"email\":\"" + badEmail + "\",\"phone\":\"+16505551212\"}", "{\"email\":\"a@example.com\"}"),
                Set.of("success", "failure"), "email", badEmail));
        cases.add(of(Target.HASH, "invalid phone", lines("{\"email\":\"a@example.com\",\"phone\":\"555-CALL-JANE\"}"), Set.of("failure"), "phone", "555-CALL-JANE"));
        cases.add(of(Target.HASH, "1 MB email", lines("{\"email\":\"" + MEGABYTE + "@example.com\"}"), Set.of("success"), null, MEGABYTE.substring(0, 4096)));
        cases.add(of(Target.HASH, "unicode PII: combining marks, RTL, surrogate pairs",
                lines("{\"email\":\"Jose\u0301@example.com\"}", "{\"email\":\"\u05d3\u05d5\u05d3@example.com\"}", "{\"email\":\"\ud83d\ude00@example.com\"}"),
                Set.of("success"), null));
        cases.add(of(Target.HASH, "lone surrogate in email", lines("{\"email\":\"a\\ud800b@example.com\"}"), Set.of("success"), null));
        cases.add(of(Target.HASH, "null and missing PII", lines("{\"email\":null,\"phone\":null}", "{\"id\":1}"), Set.of("success"), null));
        cases.add(of(Target.HASH, "phone given as a number", lines("{\"phone\":16505551212}"), Set.of("success"), null));
        cases.add(of(Target.HASH, "phone number out of range", lines("{\"phone\":\"+1 99999999999999999999999999\"}"), Set.of("failure"), "phone",
                "99999999999999999999999999"));
        cases.add(of(Target.HASH, "PII field holds an object", lines("{\"email\":{\"a\":\"b@example.com\"}}"), Set.of("failure"), "email"));
        cases.add(configured(Target.HASH, "dates of birth before 1970 and after 2100", runner -> runner.setProperty("dob", "date_of_birth"),
                lines("{\"dob\":\"1901-02-03\"}", "{\"dob\":\"2999-12-31\"}"), Set.of("success", "failure"), "dob"));
        cases.add(drift(Target.HASH, "email column dropped in the next FlowFile", lines("{\"email\":\"a@example.com\"}"), lines("{\"id\":1,\"phone\":\"+16505551212\"}"),
                Set.of("success"), null));

        // ResolveExternalIds against the HubSpot emulator, match field email
        cases.add(of(Target.RESOLVE, "empty FlowFile", "", none, null));
        cases.add(of(Target.RESOLVE, "unreadable text", "{{{\n", Set.of("failure"), "Cannot read"));
        cases.add(of(Target.RESOLVE, "null match value", lines(synced("1", "\"email\":null")), Set.of("failure"), "NO_MATCH_VALUE"));
        cases.add(of(Target.RESOLVE, "100k-character match value", lines(synced("1", "\"email\":\"" + LONG_KEY + "@example.com\"")), Set.of("unmatched"), null));
        cases.add(of(Target.RESOLVE, "unicode match values", lines(synced("\u05e9", "\"email\":\"\u05e9\u05dc\u05d5\u05dd@example.com\""),
                synced("\ud83d\ude00", "\"email\":\"e\u0301\ud83d\ude00@example.com\"")), Set.of("unmatched"), null));
        cases.add(of(Target.RESOLVE, "1 MB field value", lines(synced("1", "\"email\":\"a@example.com\",\"blob\":\"" + MEGABYTE + "\"")), Set.of("unmatched"), null));
        cases.add(of(Target.RESOLVE, "no _retl_key", lines("{\"email\":\"a@example.com\"}"), Set.of("unmatched"), null));
        cases.add(of(Target.RESOLVE, "duplicate keys", lines(synced("1", "\"email\":\"a@example.com\""), synced("1", "\"email\":\"a@example.com\"")),
                Set.of("unmatched"), null));
        cases.add(configured(Target.RESOLVE, "object type that does not exist", runner -> runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "2-999999"),
                lines(synced("1", "\"email\":\"a@example.com\"")), Set.of("failure"), "2-999999"));
        cases.add(configured(Target.RESOLVE, "destination match property that does not exist",
                runner -> runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "no_such_property"),
                lines(synced("1", "\"email\":\"a@example.com\"")), Set.of("unmatched"), null));

        // PutHubSpot, contacts by email
        final String invalidEmail = "not-an-email@@corpus";
        cases.add(of(Target.HUBSPOT, "empty FlowFile", "", none, null));
        cases.add(of(Target.HUBSPOT, "unreadable text", "]]]\n", Set.of("failure"), "Cannot read"));
        cases.add(bytes(Target.HUBSPOT, "binary garbage", BINARY, Set.of("failure"), "Cannot read"));
        cases.add(of(Target.HUBSPOT, "missing match key", lines(synced("1", "\"firstname\":\"A\""), synced("2", "\"email\":\"b@example.com\"")),
                Set.of("success", "failure"), "MISSING_MATCH_KEY"));
        cases.add(of(Target.HUBSPOT, "invalid email rejected by HubSpot", lines(synced(invalidEmail, "\"email\":\"" + invalidEmail + "\""),
                synced("ok@example.com", "\"email\":\"ok@example.com\"")), Set.of("success", "failure"), "INVALID_EMAIL", invalidEmail));
        cases.add(of(Target.HUBSPOT, "destination property that does not exist", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"no_such_property\":\"v\"")),
                Set.of("failure"), "PROPERTY_DOESNT_EXIST"));
        cases.add(of(Target.HUBSPOT, "1 MB property value", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"firstname\":\"" + MEGABYTE + "\"")),
                Set.of("success"), null));
        cases.add(of(Target.HUBSPOT, "number out of double range", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"score\":1e400")),
                Set.of("failure"), null));
        cases.add(of(Target.HUBSPOT, "dates before 1970 and after 2100", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"birthday\":\"1901-02-03\""),
                synced("b@example.com", "\"email\":\"b@example.com\",\"birthday\":\"2999-12-31\",\"last_seen\":\"2101-01-01T00:00:00Z\"")), Set.of("success"), null));
        cases.add(of(Target.HUBSPOT, "unicode names", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"firstname\":\"Jose\u0301 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00\"")),
                Set.of("success"), null));
        cases.add(of(Target.HUBSPOT, "unknown _retl_op", lines("{\"email\":\"a@example.com\",\"_retl_op\":\"explode\",\"_retl_key\":\"[\\\"a\\\"]\",\"_retl_version\":\"v\"}"),
                Set.of("failure"), "INVALID_SYNC_FIELDS"));
        cases.add(of(Target.HUBSPOT, "malformed _retl_field_hashes", lines("{\"email\":\"a@example.com\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"a\\\"]\","
                + "\"_retl_version\":\"v\",\"_retl_field_hashes\":\"{not json\"}"), Set.of("failure"), "INVALID_SYNC_FIELDS"));
        cases.add(of(Target.HUBSPOT, "duplicate keys in one FlowFile", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"firstname\":\"A\""),
                synced("a@example.com", "\"email\":\"a@example.com\",\"firstname\":\"B\"")), Set.of("success", "superseded"), "SUPERSEDED_IN_BATCH"));
        cases.add(drift(Target.HUBSPOT, "column added in the next FlowFile", lines(synced("a@example.com", "\"email\":\"a@example.com\"")),
                lines(synced("b@example.com", "\"email\":\"b@example.com\",\"lastname\":\"L\"")), Set.of("success"), null));
        cases.add(of(Target.HUBSPOT, "number property holding text", lines(synced("a@example.com", "\"email\":\"a@example.com\",\"score\":\"twelve\"")),
                Set.of("failure"), null));
        cases.add(of(Target.HUBSPOT, "100k-character key", lines(synced("x", "\"email\":\"" + LONG_KEY + "@example.com\"")), Set.of("success"), null));

        // PutSalesforce, Contact upsert by Warehouse_Id__c
        cases.add(of(Target.SALESFORCE, "empty FlowFile", "", none, null));
        cases.add(of(Target.SALESFORCE, "unreadable text", "not records\n", Set.of("failure"), "Cannot read"));
        cases.add(of(Target.SALESFORCE, "missing match key", lines(synced("1", "\"last_name\":\"L\"")), Set.of("failure"), "MISSING_MATCH_KEY"));
        cases.add(of(Target.SALESFORCE, "field that does not exist", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"last_name\":\"L\",\"No_Such_Field__c\":\"v\"")),
                Set.of("failure"), "No_Such_Field__c"));
        cases.add(of(Target.SALESFORCE, "required field missing", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"email\":\"a@example.com\"")), Set.of("failure"),
                "REQUIRED_FIELD_MISSING"));
        cases.add(of(Target.SALESFORCE, "integer out of range", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"last_name\":\"L\",\"orders\":123456789012345678901234")),
                Set.of("failure"), null));
        cases.add(of(Target.SALESFORCE, "dates before 1970 and after 2100", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"last_name\":\"L\",\"birthdate\":\"1901-02-03\""),
                synced("W-2", "\"warehouse_id\":\"W-2\",\"last_name\":\"M\",\"birthdate\":\"2999-12-31\"")), Set.of("success"), null));
        cases.add(of(Target.SALESFORCE, "1 MB text value", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"last_name\":\"" + MEGABYTE + "\"")), Set.of("failure"), null));
        cases.add(of(Target.SALESFORCE, "unicode values", lines(synced("W-\u05e9", "\"warehouse_id\":\"W-\u05e9\ud83d\ude00\",\"last_name\":\"Jose\u0301 \u05e9\u05dc\u05d5\u05dd\"")),
                Set.of("success"), null));
        cases.add(of(Target.SALESFORCE, "external id longer than the field", lines(synced("W-long", "\"warehouse_id\":\"" + "W".repeat(300) + "\",\"last_name\":\"L\"")),
                Set.of("failure"), null));
        cases.add(drift(Target.SALESFORCE, "column removed in the next FlowFile", lines(synced("W-1", "\"warehouse_id\":\"W-1\",\"last_name\":\"L\",\"email\":\"a@example.com\"")),
                lines(synced("W-2", "\"warehouse_id\":\"W-2\",\"last_name\":\"M\"")), Set.of("success"), null));

        // PutZendesk, users by external_id
        cases.add(of(Target.ZENDESK, "empty FlowFile", "", none, null));
        cases.add(of(Target.ZENDESK, "unreadable text", "<xml/>\n", Set.of("failure"), "Cannot read"));
        cases.add(of(Target.ZENDESK, "missing match key", lines(synced("1", "\"name\":\"N\"")), Set.of("failure"), "MISSING_MATCH_KEY"));
        cases.add(of(Target.ZENDESK, "unicode names", lines(synced("U-1", "\"external_id\":\"U-1\",\"name\":\"Jose\u0301 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00\"")),
                Set.of("success"), null));
        cases.add(of(Target.ZENDESK, "1 MB name", lines(synced("U-1", "\"external_id\":\"U-1\",\"name\":\"" + MEGABYTE + "\"")), Set.of("success"), null));
        cases.add(of(Target.ZENDESK, "dates and huge numbers in user fields", lines(synced("U-1", "\"external_id\":\"U-1\",\"name\":\"N\",\"joined\":\"1901-02-03\","
                + "\"renewal\":\"2999-12-31T00:00:00Z\",\"big\":123456789012345678901234567890")), Set.of("success"), null));
        cases.add(of(Target.ZENDESK, "100k-character external id", lines(synced("U-long", "\"external_id\":\"" + LONG_KEY + "\",\"name\":\"N\"")), Set.of("success"), null));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputIsRoutedWithItsReasonAndNothingIsLost(final Case hostile) throws Exception {
        try (Destinations destinations = new Destinations(hostile.target())) {
            final TestRunner runner = runner(hostile.target(), destinations);
            hostile.configure().accept(runner);
            for (final String before : hostile.before()) {
                runner.enqueue(before);
                runner.run();
                if (hostile.target() == Target.DIFF) {
                    acceptEverythingEmitted(runner);
                }
                runner.clearTransferState();
                runner.clearProvenanceEvents();
            }
            runner.enqueue(hostile.input());
            runner.run();

            final String outcome = describe(runner);
            assertEquals(0, runner.getQueueSize().getObjectCount(), "the input queue must be empty: " + outcome);
            assertEquals(hostile.expected(), routedTo(runner), "relationships reached: " + outcome);
            assertEquals(nonBlankLines(new String(hostile.input(), StandardCharsets.UTF_8)), recordsOut(runner), "records in = records out: " + outcome);
            if (hostile.reason() != null) {
                assertTrue(CapturedOutput.attributes(runner).stream().anyMatch(text -> text.contains(hostile.reason()))
                                || CapturedOutput.flowFiles(runner).stream().filter(text -> !text.startsWith("success")).anyMatch(text -> text.contains(hostile.reason())),
                        "the routed output must carry the reason '" + hostile.reason() + "': " + outcome);
            }
            for (final LogMessage error : runner.getLogger().getErrorMessages()) {
                final Throwable thrown = error.getThrowable();
                if (thrown != null && PROGRAMMING_ERRORS.contains(thrown.getClass())) {
                    fail("a programming error was logged: " + CapturedOutput.format(error));
                }
            }
            final List<String> needles = new ArrayList<>(List.of(HUBSPOT_TOKEN, ZENDESK_TOKEN, destinations.salesforceSecret()));
            needles.addAll(hostile.rawPii());
            final List<String> leaks = CapturedOutput.findings(CapturedOutput.logs(runner), needles);
            assertTrue(leaks.isEmpty(), "secrets or raw PII in the logs: " + leaks);
        }
    }

    /**
     * Records every added or changed row as accepted, as a Put processor would after the destination took it.
     */
    private static void acceptEverythingEmitted(final TestRunner runner) throws Exception {
        final SyncStateService state = (SyncStateService) runner.getControllerService("state");
        final List<Acceptance> acceptances = new ArrayList<>();
        for (final Relationship relationship : List.of(DiffRecords.REL_ADDED, DiffRecords.REL_CHANGED)) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                for (final String line : flowFile.getContent().lines().filter(line -> !line.isBlank()).toList()) {
                    final JsonNode record = MAPPER.readTree(line);
                    final Map<String, String> fieldHashes = MAPPER.readValue(record.path(SyncRecordFields.FIELD_HASHES).asText(), new TypeReference<>() { });
                    acceptances.add(new Acceptance(record.path(SyncRecordFields.KEY).asText(), record.path(SyncRecordFields.VERSION).asText(), fieldHashes,
                            null, true));
                }
            }
        }
        state.recordAccepted("corpus-sync", acceptances);
    }

    private static Set<String> routedTo(final TestRunner runner) {
        final Set<String> routed = new TreeSet<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            if (!runner.getFlowFilesForRelationship(relationship).isEmpty()) {
                routed.add(relationship.getName());
            }
        }
        return routed;
    }

    private static long recordsOut(final TestRunner runner) {
        long count = 0;
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            if (relationship.equals(DiffRecords.REL_REMOVED) && runner.getProcessor() instanceof DiffRecords) {
                continue;
            }
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                count += nonBlankLines(flowFile.getContent());
            }
        }
        return count;
    }

    private static long nonBlankLines(final String content) {
        return content.lines().filter(line -> !line.isBlank()).count();
    }

    private static String describe(final TestRunner runner) {
        final TreeMap<String, List<String>> outputs = new TreeMap<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                final List<String> records = new ArrayList<>();
                flowFile.getContent().lines().limit(3).forEach(line -> records.add(CapturedOutput.abbreviate(line)));
                outputs.computeIfAbsent(relationship.getName(), name -> new ArrayList<>()).add(flowFile.getAttributes().entrySet().stream()
                        .filter(entry -> entry.getKey().contains("error") || entry.getKey().contains("reason") || entry.getKey().contains("count")).toList() + " " + records);
            }
        }
        final List<String> errors = runner.getLogger().getErrorMessages().stream().map(message -> CapturedOutput.abbreviate(CapturedOutput.format(message))).toList();
        return outputs + " errors=" + errors;
    }

    private TestRunner runner(final Target target, final Destinations destinations) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processorClass(target));
        JsonLines.register(runner, "Record Reader", "Record Writer");
        final EmbeddedSyncStateService state = new EmbeddedSyncStateService();
        if (target != Target.HASH) {
            runner.addControllerService("state", state);
            runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
            runner.enableControllerService(state);
            runner.setProperty("Sync State Service", "state");
            runner.setProperty("Sync ID", "corpus-sync");
        }
        switch (target) {
            case DIFF -> runner.setProperty(DiffRecords.KEY_FIELDS, "id");
            case HASH -> {
                runner.setProperty(HashPII.PRESET, HashPreset.META_CUSTOM_AUDIENCES);
                runner.setProperty("email", "email");
                runner.setProperty("phone", "phone");
            }
            case RESOLVE -> {
                runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.HUBSPOT.getValue());
                runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "contacts");
                runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
                runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
                runner.setProperty(ResolveExternalIds.BASE_URL, destinations.hubSpot.baseUrl());
                runner.setProperty(ResolveExternalIds.HUBSPOT_AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.ACCESS_TOKEN.getValue());
                runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, HUBSPOT_TOKEN);
            }
            case HUBSPOT -> {
                runner.setProperty(PutHubSpot.BASE_URL, destinations.hubSpot.baseUrl());
                runner.setProperty(PutHubSpot.ACCESS_TOKEN, HUBSPOT_TOKEN);
                runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
                runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
                runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
            }
            case SALESFORCE -> {
                runner.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
                runner.setProperty(PutSalesforce.LOGIN_URL, destinations.salesforce.baseUrl());
                runner.setProperty(PutSalesforce.CONSUMER_KEY, destinations.salesforce.auth().consumerKey());
                runner.setProperty(PutSalesforce.CONSUMER_SECRET, destinations.salesforce.auth().consumerSecret());
                runner.setProperty(PutSalesforce.SOBJECT, "Contact");
                runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "Warehouse_Id__c");
                runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "warehouse_id");
                runner.setProperty(AbstractPutDestination.FIELD_MAPPING, "warehouse_id=Warehouse_Id__c,last_name=LastName,email=Email,birthdate=Birthdate,orders=Orders__c");
                runner.setProperty(PutSalesforce.BULK_POLL_INTERVAL, "20 ms");
            }
            case ZENDESK -> {
                runner.setProperty(PutZendesk.BASE_URL, destinations.zendesk.baseUrl());
                runner.setProperty(PutZendesk.AGENT_EMAIL, ZENDESK_EMAIL);
                runner.setProperty(PutZendesk.API_TOKEN, ZENDESK_TOKEN);
                runner.setProperty(PutZendesk.REQUESTS_PER_MINUTE, "100000");
                runner.setProperty(PutZendesk.JOB_POLL_INTERVAL, "20 ms");
                runner.setProperty(PutZendesk.MAX_JOB_POLL_INTERVAL, "100 ms");
                runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "external_id");
            }
        }
        if (target == Target.HUBSPOT || target == Target.SALESFORCE || target == Target.ZENDESK) {
            runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "5 ms");
            runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "5 sec");
        }
        return runner;
    }

    private static Class<? extends Processor> processorClass(final Target target) {
        return switch (target) {
            case DIFF -> DiffRecords.class;
            case HASH -> HashPII.class;
            case RESOLVE -> ResolveExternalIds.class;
            case HUBSPOT -> PutHubSpot.class;
            case SALESFORCE -> PutSalesforce.class;
            case ZENDESK -> PutZendesk.class;
        };
    }

    /**
     * The emulator a case needs (only that one is started).
     */
    private static final class Destinations implements AutoCloseable {
        final HubSpotEmulator hubSpot;
        final SalesforceEmulator salesforce;
        final ZendeskEmulator zendesk;

        Destinations(final Target target) {
            hubSpot = target == Target.HUBSPOT || target == Target.RESOLVE ? new HubSpotEmulator().token(HUBSPOT_TOKEN).start() : null;
            salesforce = target == Target.SALESFORCE ? SalesforceEmulator.start() : null;
            zendesk = target == Target.ZENDESK ? new ZendeskEmulator().apiToken(ZENDESK_EMAIL, ZENDESK_TOKEN).jobDuration(5, 20).plan(100_000).start() : null;
        }

        String salesforceSecret() {
            return salesforce == null ? "no-salesforce-secret-in-this-case" : salesforce.auth().consumerSecret();
        }

        @Override
        public void close() {
            if (hubSpot != null) {
                hubSpot.close();
            }
            if (salesforce != null) {
                salesforce.close();
            }
            if (zendesk != null) {
                zendesk.close();
            }
        }
    }
}
