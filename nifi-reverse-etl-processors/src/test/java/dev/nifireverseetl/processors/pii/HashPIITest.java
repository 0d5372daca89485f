package dev.nifireverseetl.processors.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashPIITest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EMAIL_HASH = "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f";
    private static final String META_PHONE_HASH = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176";
    private static final String EMPTY_STRING_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(HashPII.class);
        JsonLines.register(runner, HashPII.RECORD_READER.getName(), HashPII.RECORD_WRITER.getName());
        runner.setProperty(HashPII.PRESET, HashPreset.META_CUSTOM_AUDIENCES);
    }

    @Test
    void metaPresetHashesTheConfiguredFieldsAndLeavesEverythingElseAlone() throws Exception {
        runner.setProperty("/contact/email", "email");
        runner.setProperty("phone", "phone");
        runner.setProperty("first_name", "first_name");
        runner.setProperty("zip", "zip");
        runner.enqueue(line("{\"id\":1,\"contact\":{\"email\":\"  John.Doe@Example.COM \",\"kind\":\"home\"},\"phone\":\"(650) 555-1212\","
                + "\"first_name\":\"Mary-Jane\",\"zip\":\"94025-1234\",\"plan\":\"pro\","
                + "\"_retl_op\":\"changed\",\"_retl_key\":\"[\\\"1\\\"]\",\"_retl_version\":\"abc\",\"_retl_run_id\":\"r1\"}"));
        runner.run();

        runner.assertTransferCount(HashPII.REL_SUCCESS, 1);
        runner.assertTransferCount(HashPII.REL_FAILURE, 0);
        final MockFlowFile out = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0);
        final JsonNode record = records(out).get(0);
        assertEquals(EMAIL_HASH, record.get("contact").get("email").asText());
        assertEquals("home", record.get("contact").get("kind").asText());
        assertEquals(META_PHONE_HASH, record.get("phone").asText());
        assertEquals("f08f448a5e7a9dc3619bb7c129f6a7d5fc6af002cea17ad71dfdc1c68f4d4e0e", record.get("first_name").asText());
        assertEquals("b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7", record.get("zip").asText());
        assertEquals(1, record.get("id").asInt());
        assertEquals("pro", record.get("plan").asText());
        assertEquals("changed", record.get(SyncRecordFields.OPERATION).asText());
        assertEquals("[\"1\"]", record.get(SyncRecordFields.KEY).asText());
        assertEquals("abc", record.get(SyncRecordFields.VERSION).asText());
        assertEquals("r1", record.get(SyncRecordFields.RUN_ID).asText());
        out.assertAttributeEquals("record.count", "1");
        out.assertAttributeEquals(HashPII.HASHED_COUNT, "4");
        out.assertAttributeEquals(HashPII.INVALID_COUNT, "0");
        out.assertAttributeEquals(HashPII.ALREADY_HASHED_COUNT, "0");
        out.assertAttributeEquals("mime.type", "application/x-ndjson");
        assertEquals(4, runner.getCounterValue("Values Hashed"));
        assertTrue(runner.getProvenanceEvents().stream().anyMatch(event -> event.getEventType() == ProvenanceEventType.CONTENT_MODIFIED));
    }

    @Test
    void valuesAlreadyHashedAreNotHashedTwice() throws Exception {
        runner.setProperty("email", "email");
        runner.enqueue(line("{\"email\":\"" + EMAIL_HASH + "\"}", "{\"email\":\" " + EMAIL_HASH.toUpperCase() + " \"}",
                "{\"email\":\"john.doe@example.com\"}"));
        runner.run();

        final MockFlowFile out = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0);
        for (final JsonNode record : records(out)) {
            assertEquals(EMAIL_HASH, record.get("email").asText());
        }
        out.assertAttributeEquals(HashPII.ALREADY_HASHED_COUNT, "2");
        out.assertAttributeEquals(HashPII.HASHED_COUNT, "1");
    }

    @Test
    void invalidValuesRouteTheRecordToFailureWithTheReasonAndTheRawValueNeverAppearsInLogsOrProvenance() throws Exception {
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        final String badEmail = "jane.smith.example.com";
        final String badPhone = "555-CALL-JANE";
        runner.enqueue(line(
                "{\"id\":1,\"email\":\"john.doe@example.com\",\"phone\":\"+1 650 555 1212\",\"_retl_key\":\"[\\\"1\\\"]\"}",
                "{\"id\":2,\"email\":\"" + badEmail + "\",\"phone\":\"+1 650 555 1212\",\"_retl_key\":\"[\\\"2\\\"]\"}",
                "{\"id\":3,\"email\":\"john.doe@example.com\",\"phone\":\"" + badPhone + "\",\"_retl_key\":\"[\\\"3\\\"]\"}",
                "{\"id\":4,\"email\":\"" + badEmail + "\",\"phone\":\"" + badPhone + "\",\"_retl_key\":\"[\\\"4\\\"]\"}"));
        runner.run();

        runner.assertTransferCount(HashPII.REL_SUCCESS, 1);
        runner.assertTransferCount(HashPII.REL_FAILURE, 1);
        final List<JsonNode> succeeded = records(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0));
        final MockFlowFile failureFlowFile = runner.getFlowFilesForRelationship(HashPII.REL_FAILURE).get(0);
        final List<JsonNode> failed = records(failureFlowFile);
        assertEquals(4, succeeded.size() + failed.size(), "records in = records out");
        assertEquals(1, succeeded.size());
        assertEquals(List.of(2, 3, 4), failed.stream().map(record -> record.get("id").asInt()).toList());
        failureFlowFile.assertAttributeEquals("record.count", "3");
        failureFlowFile.assertAttributeEquals(HashPII.INVALID_COUNT, "4");

        final JsonNode emailFailure = failed.get(0);
        assertEquals(badEmail, emailFailure.get("email").asText(), "a failed record keeps its values so it can be fixed");
        assertEquals("+1 650 555 1212", emailFailure.get("phone").asText(), "a failed record is not partly hashed");
        assertEquals("[\"2\"]", emailFailure.get(SyncRecordFields.KEY).asText());
        assertEquals("pii_email_missing_at", emailFailure.get(SyncRecordFields.ERROR_CODE).asText());
        assertTrue(emailFailure.get(SyncRecordFields.ERROR_MESSAGE).asText().contains("field 'email' (email, email_missing_at)"));
        assertEquals("pii_phone_contains_letters", failed.get(1).get(SyncRecordFields.ERROR_CODE).asText());
        final String bothMessage = failed.get(2).get(SyncRecordFields.ERROR_MESSAGE).asText();
        assertTrue(bothMessage.contains("field 'email'") && bothMessage.contains("field 'phone'"), bothMessage);

        final List<String> visibleTexts = new ArrayList<>();
        for (final JsonNode record : failed) {
            visibleTexts.add(record.get(SyncRecordFields.ERROR_CODE).asText());
            visibleTexts.add(record.get(SyncRecordFields.ERROR_MESSAGE).asText());
        }
        visibleTexts.addAll(allLogText(runner));
        for (final ProvenanceEventRecord event : runner.getProvenanceEvents()) {
            visibleTexts.add(String.valueOf(event.getDetails()));
            visibleTexts.add(String.valueOf(event.getTransitUri()));
        }
        visibleTexts.addAll(failureFlowFile.getAttributes().values());
        assertFalse(runner.getLogger().getWarnMessages().isEmpty(), "the failure is reported");
        for (final String text : visibleTexts) {
            for (final String secret : List.of(badEmail, "jane.smith", "CALL-JANE", "555-CALL")) {
                assertFalse(text.contains(secret), "raw value leaked into: " + text);
            }
        }
    }

    @Test
    void clearFieldHandlingNullsTheInvalidFieldAndKeepsTheRecord() throws Exception {
        runner.setProperty(HashPII.INVALID_VALUE_HANDLING, InvalidValueHandling.CLEAR_FIELD);
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        runner.enqueue(line("{\"id\":1,\"email\":\"no-at-sign\",\"phone\":\"+1 650 555 1212\"}"));
        runner.run();

        runner.assertAllFlowFilesTransferred(HashPII.REL_SUCCESS, 1);
        final MockFlowFile out = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0);
        final JsonNode record = records(out).get(0);
        assertTrue(record.get("email").isNull());
        assertEquals(META_PHONE_HASH, record.get("phone").asText());
        out.assertAttributeEquals(HashPII.INVALID_COUNT, "1");
        assertTrue(allLogText(runner).stream().noneMatch(text -> text.contains("no-at-sign")));
    }

    @Test
    void emptyValuesAreClearedAndNeverHashedAndNullsStayNull() throws Exception {
        runner.setProperty("email", "email");
        runner.setProperty("first_name", "first_name");
        runner.enqueue(line("{\"email\":\"\",\"first_name\":null}", "{\"email\":\"   \",\"first_name\":\"Ann\"}", "{\"id\":3}"));
        runner.run();

        final MockFlowFile out = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0);
        final String content = out.getContent();
        assertFalse(content.contains(EMPTY_STRING_HASH));
        final List<JsonNode> records = records(out);
        assertEquals(3, records.size());
        assertTrue(records.get(0).get("email").isNull());
        assertTrue(records.get(0).get("first_name").isNull());
        assertTrue(records.get(1).get("email").isNull());
        assertFalse(records.get(2).has("email"));
        out.assertAttributeEquals(HashPII.HASHED_COUNT, "1");
    }

    @Test
    void hmacKeyHashesExternalIdsWithHmacSha256AndOtherFieldsWithPlainSha256() throws Exception {
        final String key = "0123456789abcdef0123456789abcdef";
        runner.setProperty(HashPII.HMAC_KEY, key);
        runner.setProperty("customer_id", "external_id");
        runner.setProperty("email", "email");
        runner.enqueue(line("{\"customer_id\":\"CRM-000042\",\"email\":\"john.doe@example.com\"}"));
        runner.run();

        final JsonNode record = records(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0)).get(0);
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(HexFormat.of().formatHex(mac.doFinal("CRM-000042".getBytes(StandardCharsets.UTF_8))), record.get("customer_id").asText());
        assertEquals(EMAIL_HASH, record.get("email").asText());
        assertTrue(allLogText(runner).stream().noneMatch(text -> text.contains(key)));
    }

    @Test
    void googlePresetSendsCountryAndPostalCodeInTheClearAndHashesPhonesWithPlus() throws Exception {
        runner.setProperty(HashPII.PRESET, HashPreset.GOOGLE_ADS_ENHANCED_CONVERSIONS);
        runner.setProperty(HashPII.DEFAULT_PHONE_REGION, "US");
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        runner.setProperty("country", "country");
        runner.setProperty("zip", "zip");
        runner.enqueue(line("{\"email\":\"John.Doe@Gmail.com\",\"phone\":\"(650) 555-1212\",\"country\":\"us\",\"zip\":\" 94025 \"}"));
        runner.run();

        final JsonNode record = records(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0)).get(0);
        assertEquals("06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3", record.get("email").asText());
        assertEquals("1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8", record.get("phone").asText());
        assertEquals("US", record.get("country").asText());
        assertEquals("94025", record.get("zip").asText());
    }

    @Test
    void dateFieldsAndNumericPhonesBecomeHashedStrings() throws Exception {
        runner.setProperty("birthday", "date_of_birth");
        runner.setProperty("phone", "phone");
        runner.enqueue(line("{\"birthday\":\"1990-03-07\",\"phone\":16505551212}"));
        runner.run();

        final JsonNode record = records(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0)).get(0);
        assertEquals(new ValueHasher(null).sha256Hex("19900307"), record.get("birthday").asText());
        assertEquals(META_PHONE_HASH, record.get("phone").asText());
    }

    @Test
    void unreadableContentGoesToFailureWholeWithoutQuotingIt() {
        runner.setProperty("email", "email");
        runner.enqueue("{\"email\":\"secret.person@example.com\"\n{not json");
        runner.run();

        runner.assertAllFlowFilesTransferred(HashPII.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(HashPII.REL_FAILURE).get(0);
        assertTrue(failed.getAttribute(HashPII.ERROR_MESSAGE).startsWith("Cannot read or write the records"));
        failed.assertContentEquals("{\"email\":\"secret.person@example.com\"\n{not json");
        assertTrue(allLogText(runner).stream().noneMatch(text -> text.contains("secret.person")));
    }

    @Test
    void inputWithoutRecordsProducesAnEmptySuccessFlowFile() {
        runner.setProperty("email", "email");
        runner.enqueue("");
        runner.run();

        runner.assertAllFlowFilesTransferred(HashPII.REL_SUCCESS, 1);
        runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0).assertAttributeEquals("record.count", "0");
    }

    @Test
    void manyRecordsAreConservedAcrossRelationships() throws Exception {
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        final StringBuilder input = new StringBuilder();
        int expectedFailures = 0;
        for (int id = 0; id < 1000; id++) {
            final boolean bad = id % 7 == 0;
            expectedFailures += bad ? 1 : 0;
            input.append("{\"id\":").append(id).append(",\"email\":\"").append(bad ? "broken" + id : "user" + id + "@example.com")
                    .append("\",\"phone\":\"+1 415 555 ").append(String.format("%04d", id)).append("\"}\n");
        }
        runner.enqueue(input.toString());
        runner.run();

        final List<JsonNode> succeeded = records(runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0));
        final List<JsonNode> failed = records(runner.getFlowFilesForRelationship(HashPII.REL_FAILURE).get(0));
        assertEquals(1000, succeeded.size() + failed.size());
        assertEquals(expectedFailures, failed.size());
        final List<Integer> ids = new ArrayList<>();
        succeeded.forEach(record -> ids.add(record.get("id").asInt()));
        failed.forEach(record -> ids.add(record.get("id").asInt()));
        assertEquals(1000, ids.stream().distinct().count());
        assertEquals(expectedFailures, runner.getCounterValue("Records Routed to Failure"));
    }

    @Test
    void theProcessorAppliesTheSameCoreAsTheBenchmark() throws Exception {
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        runner.setProperty("first_name", "first_name");
        runner.setProperty("last_name", "last_name");
        final StringBuilder input = new StringBuilder();
        for (int id = 0; id < 200; id++) {
            input.append("{\"customer_id\":").append(id).append(",\"email\":\"Customer").append(id).append("@Example.com\",\"first_name\":\"First")
                    .append(id).append("\",\"last_name\":\"Last").append(id).append("\",\"phone\":\"+1 415 555 ").append(String.format("%04d", id))
                    .append("\",\"plan\":\"pro\"}\n");
        }
        runner.enqueue(input.toString());
        runner.run();
        final byte[] processorOutput = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0).toByteArray();

        final Map<String, PiiFieldType> fields = new LinkedHashMap<>();
        fields.put("email", PiiFieldType.EMAIL);
        fields.put("phone", PiiFieldType.PHONE);
        fields.put("first_name", PiiFieldType.FIRST_NAME);
        fields.put("last_name", PiiFieldType.LAST_NAME);
        final HashingPlan plan = HashingPlan.create(HashPreset.META_CUSTOM_AUDIENCES, fields, "US", InvalidValueHandling.ROUTE_TO_FAILURE, null, Clock.systemUTC());
        final RecordHasher hasher = plan.newHasher();
        final ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (RecordReader reader = JsonLines.reader(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)))) {
            final RecordSetWriter writer = JsonLines.writer(direct, plan.successSchema(reader.getSchema()));
            writer.beginRecordSet();
            Record record;
            while ((record = reader.nextRecord()) != null) {
                assertTrue(hasher.apply(record));
                writer.write(record);
            }
            writer.finishRecordSet();
            writer.close();
        }
        assertArrayEquals(direct.toByteArray(), processorOutput);
        assertEquals(800, hasher.hashedCount());
    }

    @Test
    void configurationIsValidated() {
        runner.assertNotValid();
        runner.setProperty("email", "email");
        runner.assertValid();

        runner.setProperty("gender", "gender");
        runner.setProperty(HashPII.PRESET, HashPreset.GOOGLE_ADS_CUSTOMER_MATCH);
        runner.assertNotValid();
        runner.removeProperty("gender");
        runner.assertValid();

        runner.setProperty(SyncRecordFields.KEY, "external_id");
        runner.assertNotValid();
        runner.removeProperty(SyncRecordFields.KEY);

        runner.setProperty("email", "e-mail address");
        runner.assertNotValid();
        runner.setProperty("email", "EMAIL");
        runner.assertValid();

        runner.setProperty("/a/b[0]", "email");
        runner.assertNotValid();
        runner.removeProperty("/a/b[0]");

        runner.setProperty(HashPII.DEFAULT_PHONE_REGION, "XX");
        runner.assertNotValid();
        runner.setProperty(HashPII.DEFAULT_PHONE_REGION, "de");
        runner.assertValid();

        runner.setProperty(HashPII.HMAC_KEY, "short");
        runner.assertNotValid();
    }

    private static String line(final String... records) {
        return String.join("\n", records) + "\n";
    }

    private static List<JsonNode> records(final MockFlowFile flowFile) throws Exception {
        final List<JsonNode> records = new ArrayList<>();
        for (final String line : flowFile.getContent().split("\n")) {
            if (!line.isBlank()) {
                records.add(MAPPER.readTree(line));
            }
        }
        return records;
    }

    private static List<String> allLogText(final TestRunner runner) {
        final List<LogMessage> messages = new ArrayList<>();
        messages.addAll(runner.getLogger().getErrorMessages());
        messages.addAll(runner.getLogger().getWarnMessages());
        messages.addAll(runner.getLogger().getInfoMessages());
        messages.addAll(runner.getLogger().getDebugMessages());
        messages.addAll(runner.getLogger().getTraceMessages());
        final List<String> texts = new ArrayList<>();
        for (final LogMessage message : messages) {
            texts.add(message.getMsg());
            if (message.getArgs() != null) {
                for (final Object argument : message.getArgs()) {
                    texts.add(String.valueOf(argument));
                }
            }
            if (message.getThrowable() != null) {
                texts.add(String.valueOf(message.getThrowable()));
            }
        }
        return texts;
    }
}
