package dev.nifireverseetl.hostile;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.auth.BearerTokenCredential;
import dev.nifireverseetl.processors.hubspot.HubSpotAuthenticationStrategy;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.processors.pii.HashPII;
import dev.nifireverseetl.processors.pii.HashPreset;
import dev.nifireverseetl.processors.resolve.ResolveDestination;
import dev.nifireverseetl.processors.resolve.ResolveExternalIds;
import dev.nifireverseetl.processors.salesforce.PutSalesforce;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.processors.zendesk.PutZendesk;
import dev.nifireverseetl.processors.zendesk.ZendeskApiTokenCredential;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.Fault;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distinctive secrets are configured, every processor runs through success, rejection (401 from an emulator that
 * does not know the secret), transient faults and verify(), and ALL captured output is scanned for the secrets (plain
 * and Base64, including Zendesk's Basic {@code email/token:TOKEN}) and for raw PII that failure paths handle: log
 * messages at every level with their arguments and exception stack traces, provenance events (details, transit URIs),
 * attributes and content of every FlowFile on every relationship, verification explanations, and the toString() of the
 * credential objects and processors.
 */
class SecretAndPiiLeakScanTest {

    private static final String HUBSPOT_TOKEN = "pat-na1-5ecretHubSpot-7f3a9c21";
    private static final String SALESFORCE_KEY = "3MVG9-consumer-key-leakscan";
    private static final String SALESFORCE_SECRET = "5ecretSalesforceConsumer-91ab";
    private static final String ZENDESK_EMAIL = "agent@leakscan.example";
    private static final String ZENDESK_TOKEN = "5ecretZendeskToken4c7d0e";
    private static final String HMAC_KEY = "5ecret-hmac-key-0123456789abcdef";
    private static final String RAW_EMAIL = "leaky.person@@private.example";
    private static final String CONTACTS = "{\"email\":\"a@example.com\",\"firstname\":\"A\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"a\\\"]\",\"_retl_version\":\"v1\"}\n"
            + "{\"email\":\"" + RAW_EMAIL + "\",\"firstname\":\"B\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"b\\\"]\",\"_retl_version\":\"v1\"}\n";

    private final List<String> captured = new ArrayList<>();

    @TempDir
    Path stateDirectory;

    /**
     * Runs the processor; a failure to start (an exception from @OnScheduled, which NiFi shows as a bulletin and retries)
     * is captured with its whole stack trace instead of failing the test, and the input must still be queued then.
     */
    private void runCapturingStartFailure(final TestRunner runner) {
        final int queued = runner.getQueueSize().getObjectCount();
        try {
            runner.run();
        } catch (final AssertionError e) {
            captured.add(CapturedOutput.stackTrace(e));
            assertEquals(queued, runner.getQueueSize().getObjectCount(), "a processor that cannot start keeps its input queued");
        }
    }

    private void capture(final TestRunner runner, final String... controllerServiceIds) {
        captured.addAll(CapturedOutput.logs(runner, controllerServiceIds));
        captured.addAll(CapturedOutput.provenance(runner));
        captured.addAll(CapturedOutput.flowFiles(runner));
        captured.add(runner.getProcessor().toString());
    }

    private void captureVerification(final TestRunner runner) {
        for (final ConfigVerificationResult result : runner.verify(Map.of())) {
            captured.add(result.getVerificationStepName() + ": " + result.getOutcome() + " " + result.getExplanation());
        }
    }

    /**
     * Logs may not hold the raw value; the records on failure may (they are the user's own data flow).
     */
    private static void assertNoRawPiiInLogs(final TestRunner runner, final String rawValue) {
        final List<String> findings = CapturedOutput.findings(CapturedOutput.logs(runner), List.of(rawValue));
        assertTrue(findings.isEmpty(), "raw PII in logs or bulletins: " + findings);
    }

    private void assertNothingLeaked(final List<String> secrets) {
        assertFalse(captured.isEmpty());
        final List<String> findings = CapturedOutput.findings(captured, secrets);
        assertTrue(findings.isEmpty(), "secrets leaked: " + findings);
    }

    private static TestRunner hubSpotRunner(final String baseUrl) {
        final TestRunner runner = TestRunners.newTestRunner(PutHubSpot.class);
        JsonLines.register(runner, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
        runner.setProperty(PutHubSpot.BASE_URL, baseUrl);
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, HUBSPOT_TOKEN);
        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "1");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "5 ms");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "1 sec");
        return runner;
    }

    @Test
    void theScanFindsEveryFormOfASecret() {
        final String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString((ZENDESK_EMAIL + "/token:" + ZENDESK_TOKEN).getBytes(StandardCharsets.UTF_8));
        final List<String> forms = CapturedOutput.forms(ZENDESK_TOKEN, ZENDESK_EMAIL + "/token:");
        assertFalse(CapturedOutput.findings(List.of(basic), forms).isEmpty(), "a Basic credential is found");
        assertFalse(CapturedOutput.findings(List.of("token=" + ZENDESK_TOKEN), forms).isEmpty(), "the plain secret is found");
        assertTrue(CapturedOutput.findings(List.of("token=[redacted]"), forms).isEmpty());
    }

    @Test
    void putHubSpotLeaksNeitherTheTokenNorARejectedEmail() {
        try (HubSpotEmulator accepting = new HubSpotEmulator().token(HUBSPOT_TOKEN).start();
             HubSpotEmulator rejecting = new HubSpotEmulator().token("pat-na1-someone-else").start()) {
            final TestRunner runner = hubSpotRunner(accepting.baseUrl());
            runner.enqueue(CONTACTS);
            runner.run();
            assertEquals(1, runner.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).size());
            assertEquals(1, runner.getFlowFilesForRelationship(AbstractPutDestination.REL_FAILURE).size(), "HubSpot rejects the invalid email");
            accepting.server().faults().next(Fault.INTERNAL_SERVER_ERROR, Fault.CONNECTION_RESET, Fault.MALFORMED_BODY, Fault.TIMEOUT);
            runner.enqueue(CONTACTS.replace("v1", "v2").replace("\"A\"", "\"A2\""));
            runner.run();
            captureVerification(runner);
            assertNoRawPiiInLogs(runner, RAW_EMAIL);
            capture(runner);

            final TestRunner refused = hubSpotRunner(rejecting.baseUrl());
            refused.enqueue(CONTACTS);
            refused.run();
            assertTrue(rejecting.server().metrics().requests() > 0);
            assertTrue(refused.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).isEmpty(), "a refused token writes nothing");
            final List<ConfigVerificationResult> verification = refused.verify(Map.of());
            assertTrue(verification.stream().anyMatch(result -> result.getOutcome() == ConfigVerificationResult.Outcome.FAILED), verification.toString());
            captureVerification(refused);
            assertNoRawPiiInLogs(refused, RAW_EMAIL);
            capture(refused);
        }
        captured.add(new BearerTokenCredential(HUBSPOT_TOKEN).toString());
        assertNothingLeaked(CapturedOutput.forms(HUBSPOT_TOKEN, "Bearer "));
    }

    @Test
    void resolveExternalIdsLeaksNoToken() throws InitializationException {
        try (HubSpotEmulator accepting = new HubSpotEmulator().token(HUBSPOT_TOKEN).start();
             HubSpotEmulator rejecting = new HubSpotEmulator().token("pat-na1-someone-else").start()) {
            for (final HubSpotEmulator emulator : List.of(accepting, rejecting)) {
                final TestRunner runner = TestRunners.newTestRunner(ResolveExternalIds.class);
                JsonLines.register(runner, ResolveExternalIds.RECORD_READER.getName(), ResolveExternalIds.RECORD_WRITER.getName());
                runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.HUBSPOT.getValue());
                runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "contacts");
                runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
                runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
                runner.setProperty(ResolveExternalIds.BASE_URL, emulator.baseUrl());
                runner.setProperty(ResolveExternalIds.HUBSPOT_AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.ACCESS_TOKEN.getValue());
                runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, HUBSPOT_TOKEN);
                final EmbeddedSyncStateService state = new EmbeddedSyncStateService();
                runner.addControllerService("state", state);
                runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.resolve(emulator == accepting ? "accepting" : "rejecting").toString());
                runner.enableControllerService(state);
                runner.setProperty(ResolveExternalIds.SYNC_STATE_SERVICE, "state");
                runner.setProperty(ResolveExternalIds.SYNC_ID, "leak-scan");
                runner.enqueue(CONTACTS);
                runner.run();
                emulator.server().faults().next(Fault.SERVICE_UNAVAILABLE, Fault.CONNECTION_RESET);
                runner.enqueue(CONTACTS);
                runner.run();
                assertEquals(0, runner.getQueueSize().getObjectCount());
                captureVerification(runner);
                assertNoRawPiiInLogs(runner, RAW_EMAIL);
                capture(runner, "state");
            }
            assertTrue(rejecting.server().metrics().requests() > 0);
        }
        assertNothingLeaked(CapturedOutput.forms(HUBSPOT_TOKEN, "Bearer "));
    }

    private static TestRunner salesforceRunner(final SalesforceEmulator emulator) {
        final TestRunner runner = TestRunners.newTestRunner(PutSalesforce.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
        runner.setProperty(PutSalesforce.LOGIN_URL, emulator.baseUrl());
        runner.setProperty(PutSalesforce.CONSUMER_KEY, SALESFORCE_KEY);
        runner.setProperty(PutSalesforce.CONSUMER_SECRET, SALESFORCE_SECRET);
        runner.setProperty(PutSalesforce.SOBJECT, "Contact");
        runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "Warehouse_Id__c");
        runner.setProperty(PutSalesforce.MATCH_KEY_FIELD, "warehouse_id");
        runner.setProperty(PutSalesforce.FIELD_MAPPING, "warehouse_id=Warehouse_Id__c,last_name=LastName,email=Email");
        runner.setProperty(PutSalesforce.MAX_RETRIES, "1");
        runner.setProperty(PutSalesforce.RETRY_BACKOFF, "5 ms");
        runner.setProperty(PutSalesforce.READ_TIMEOUT, "1 sec");
        return runner;
    }

    private static final String SALESFORCE_ROWS = "{\"warehouse_id\":\"W-1\",\"last_name\":\"L\",\"email\":\"a@example.com\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"W-1\\\"]\",\"_retl_version\":\"v1\"}\n"
            + "{\"warehouse_id\":\"W-2\",\"last_name\":\"M\",\"email\":\"" + RAW_EMAIL + "\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"W-2\\\"]\",\"_retl_version\":\"v1\"}\n";

    @Test
    void putSalesforceLeaksNeitherTheClientSecretNorTheJwtKey() throws Exception {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair keys = generator.generateKeyPair();
        final String keyBody = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded());
        final String pem = "-----BEGIN PRIVATE KEY-----\n" + keyBody + "\n-----END PRIVATE KEY-----\n";
        try (SalesforceEmulator accepting = SalesforceEmulator.start();
             SalesforceEmulator rejecting = SalesforceEmulator.start()) {
            accepting.auth().clientCredentials(SALESFORCE_KEY, SALESFORCE_SECRET);
            accepting.auth().jwtBearer(keys.getPublic(), "sync@leakscan.example", "https://login.salesforce.com");
            rejecting.auth().clientCredentials(SALESFORCE_KEY, "another-secret-entirely");

            final TestRunner runner = salesforceRunner(accepting);
            runner.enqueue(SALESFORCE_ROWS);
            runner.run();
            assertFalse(runner.getFlowFilesForRelationship("success").isEmpty());
            assertFalse(runner.getFlowFilesForRelationship("failure").isEmpty(), "Salesforce rejects the invalid email");
            accepting.server().faults().onlyForPathsContaining("/services/data/").next(Fault.BAD_GATEWAY, Fault.CONNECTION_RESET, Fault.TIMEOUT);
            runner.enqueue(SALESFORCE_ROWS.replace("v1", "v2").replace("\"L\"", "\"L2\""));
            runner.run();
            captureVerification(runner);
            assertNoRawPiiInLogs(runner, RAW_EMAIL);
            capture(runner);

            final TestRunner jwt = salesforceRunner(accepting);
            jwt.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER.getValue());
            jwt.setProperty(PutSalesforce.USERNAME, "sync@leakscan.example");
            jwt.setProperty(PutSalesforce.PRIVATE_KEY, pem);
            jwt.enqueue(SALESFORCE_ROWS.replace("W-", "J-"));
            jwt.run();
            assertFalse(jwt.getFlowFilesForRelationship("success").isEmpty());
            captureVerification(jwt);
            capture(jwt);

            final TestRunner refused = salesforceRunner(rejecting);
            refused.enqueue(SALESFORCE_ROWS);
            runCapturingStartFailure(refused);
            assertTrue(refused.getFlowFilesForRelationship("success").isEmpty(), "a refused secret writes nothing");
            assertEquals(0, rejecting.auth().tokensIssued());
            captureVerification(refused);
            capture(refused);

            final TestRunner refusedJwt = salesforceRunner(rejecting);
            refusedJwt.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER.getValue());
            refusedJwt.setProperty(PutSalesforce.USERNAME, "sync@leakscan.example");
            refusedJwt.setProperty(PutSalesforce.PRIVATE_KEY, pem);
            refusedJwt.enqueue(SALESFORCE_ROWS);
            runCapturingStartFailure(refusedJwt);
            captureVerification(refusedJwt);
            capture(refusedJwt);
        }
        captured.add(grant("dev.nifireverseetl.processors.salesforce.ClientCredentialsGrant", new Class<?>[]{String.class, String.class},
                SALESFORCE_KEY, SALESFORCE_SECRET));
        captured.add(grant("dev.nifireverseetl.processors.salesforce.JwtBearerGrant",
                new Class<?>[]{String.class, String.class, String.class, PrivateKey.class, LongSupplier.class},
                SALESFORCE_KEY, "sync@leakscan.example", "https://login.salesforce.com", keys.getPrivate(), (LongSupplier) System::currentTimeMillis));
        final List<String> secrets = new ArrayList<>(CapturedOutput.forms(SALESFORCE_SECRET));
        secrets.add(keyBody.substring(0, 64));
        secrets.add(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()).substring(100, 164));
        assertNothingLeaked(secrets);
    }

    /**
     * @return toString() of a package-private credential grant of the Salesforce client
     */
    private static String grant(final String className, final Class<?>[] parameterTypes, final Object... arguments) throws Exception {
        final Constructor<?> constructor = Class.forName(className).getDeclaredConstructor(parameterTypes);
        constructor.setAccessible(true);
        return constructor.newInstance(arguments).toString();
    }

    private static TestRunner zendeskRunner(final ZendeskEmulator emulator) {
        final TestRunner runner = TestRunners.newTestRunner(PutZendesk.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutZendesk.BASE_URL, emulator.baseUrl());
        runner.setProperty(PutZendesk.AGENT_EMAIL, ZENDESK_EMAIL);
        runner.setProperty(PutZendesk.API_TOKEN, ZENDESK_TOKEN);
        runner.setProperty(PutZendesk.REQUESTS_PER_MINUTE, "100000");
        runner.setProperty(PutZendesk.JOB_POLL_INTERVAL, "20 ms");
        runner.setProperty(PutZendesk.MAX_JOB_POLL_INTERVAL, "100 ms");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "external_id");
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "1");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "5 ms");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "1 sec");
        return runner;
    }

    private static final String USERS = "{\"external_id\":\"U-1\",\"name\":\"A\",\"email\":\"a@example.com\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"U-1\\\"]\",\"_retl_version\":\"v1\"}\n"
            + "{\"external_id\":\"U-2\",\"name\":\"B\",\"email\":\"" + RAW_EMAIL + "\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"U-2\\\"]\",\"_retl_version\":\"v1\"}\n";

    @Test
    void putZendeskLeaksNoApiTokenInAnyForm() {
        try (ZendeskEmulator accepting = new ZendeskEmulator().apiToken(ZENDESK_EMAIL, ZENDESK_TOKEN).jobDuration(5, 20).plan(100_000).start();
             ZendeskEmulator rejecting = new ZendeskEmulator().apiToken(ZENDESK_EMAIL, "someone-elses-token").plan(100_000).start()) {
            accepting.rejectUsers(user -> RAW_EMAIL.equals(user.path("email").asText()), "InvalidValue", "Email: " + RAW_EMAIL + " is not properly formatted");
            final TestRunner runner = zendeskRunner(accepting);
            runner.enqueue(USERS);
            runner.run();
            assertFalse(runner.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).isEmpty());
            assertFalse(runner.getFlowFilesForRelationship(AbstractPutDestination.REL_FAILURE).isEmpty(), "Zendesk rejects the invalid email");
            accepting.server().faults().next(Fault.SERVICE_UNAVAILABLE, Fault.CONNECTION_RESET, Fault.TIMEOUT);
            runner.enqueue(USERS.replace("v1", "v2").replace("\"A\"", "\"A2\""));
            runner.run();
            captureVerification(runner);
            assertNoRawPiiInLogs(runner, RAW_EMAIL);
            capture(runner);

            final TestRunner refused = zendeskRunner(rejecting);
            refused.enqueue(USERS);
            refused.run();
            assertTrue(rejecting.server().metrics().requests() > 0);
            assertTrue(refused.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).isEmpty(), "a refused token writes nothing");
            captureVerification(refused);
            capture(refused);
        }
        captured.add(new ZendeskApiTokenCredential(ZENDESK_EMAIL, ZENDESK_TOKEN).toString());
        assertNothingLeaked(CapturedOutput.forms(ZENDESK_TOKEN, ZENDESK_EMAIL + "/token:"));
    }

    @Test
    void hashPiiLeaksNeitherTheHmacKeyNorRawValuesOnItsFailurePath() {
        final TestRunner runner = TestRunners.newTestRunner((Processor) new HashPII());
        JsonLines.register(runner, HashPII.RECORD_READER.getName(), HashPII.RECORD_WRITER.getName());
        runner.setProperty(HashPII.PRESET, HashPreset.META_CUSTOM_AUDIENCES);
        runner.setProperty(HashPII.HMAC_KEY, HMAC_KEY);
        runner.setProperty("customer_id", "external_id");
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        final String rawPhone = "555-PRIVATE-LINE";
        runner.enqueue("{\"customer_id\":\"CRM-0042\",\"email\":\"a@example.com\"}\n{\"customer_id\":\"CRM-0043\",\"email\":\"" + RAW_EMAIL + "\",\"phone\":\""
                + rawPhone + "\"}\n");
        runner.enqueue("not json\n");
        runner.run(2);
        runner.assertTransferCount(HashPII.REL_SUCCESS, 1);
        runner.assertTransferCount(HashPII.REL_FAILURE, 2);
        assertNoRawPiiInLogs(runner, RAW_EMAIL);
        assertNoRawPiiInLogs(runner, rawPhone);
        assertTrue(CapturedOutput.findings(CapturedOutput.provenance(runner), List.of(RAW_EMAIL, rawPhone)).isEmpty(), "raw PII in provenance");
        assertTrue(CapturedOutput.findings(CapturedOutput.attributes(runner), List.of(RAW_EMAIL, rawPhone)).isEmpty(), "raw PII in attributes");
        assertFalse(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).getFirst().getContent().contains("CRM-0042"), "the external id is hashed");
        capture(runner);
        assertNothingLeaked(CapturedOutput.forms(HMAC_KEY));
    }
}
