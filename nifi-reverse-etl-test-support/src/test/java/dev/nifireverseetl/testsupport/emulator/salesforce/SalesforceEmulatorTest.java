package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.testsupport.emulator.Json;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SalesforceEmulatorTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String V = "/services/data/v62.0";

    private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20)).build();
    private SalesforceEmulator emulator;
    private String token;

    @BeforeEach
    void start() throws IOException {
        emulator = SalesforceEmulator.start();
        token = clientCredentialsToken();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void clientCredentialsGrantReturnsInstanceUrlAndNoExpiry() throws IOException {
        final Result ok = post("/services/oauth2/token", new FormBody.Builder().add("grant_type", "client_credentials")
                .add("client_id", emulator.auth().consumerKey()).add("client_secret", emulator.auth().consumerSecret()).build(), null);
        assertEquals(200, ok.status());
        assertEquals(emulator.baseUrl(), ok.json().path("instance_url").asText());
        assertEquals("Bearer", ok.json().path("token_type").asText());
        assertTrue(ok.json().path("expires_in").isMissingNode());

        final Result wrongSecret = post("/services/oauth2/token", new FormBody.Builder().add("grant_type", "client_credentials")
                .add("client_id", emulator.auth().consumerKey()).add("client_secret", "nope").build(), null);
        assertEquals(400, wrongSecret.status());
        assertEquals("invalid_client", wrongSecret.json().path("error").asText());
    }

    @Test
    void jwtBearerGrantChecksSignatureIssuerAudienceSubjectAndExpiry() throws Exception {
        final KeyPair keys = rsaKeys();
        emulator.auth().jwtBearer(keys.getPublic(), "sync@acme.example", "https://login.salesforce.com");
        final long now = System.currentTimeMillis() / 1000;
        final String key = emulator.auth().consumerKey();

        assertEquals(200, jwtGrant(jwt(keys.getPrivate(), key, "sync@acme.example", "https://login.salesforce.com", now + 120)).status());
        assertEquals("invalid assertion", jwtGrant(jwt(rsaKeys().getPrivate(), key, "sync@acme.example", "https://login.salesforce.com", now + 120))
                .json().path("error_description").asText());
        assertEquals("invalid_client_id", jwtGrant(jwt(keys.getPrivate(), "other", "sync@acme.example", "https://login.salesforce.com", now + 120))
                .json().path("error").asText());
        assertEquals("audience is invalid", jwtGrant(jwt(keys.getPrivate(), key, "sync@acme.example", "https://test.salesforce.com", now + 120))
                .json().path("error_description").asText());
        assertEquals(400, jwtGrant(jwt(keys.getPrivate(), key, "sync@acme.example", "https://login.salesforce.com", now + 600)).status());
        assertEquals(400, jwtGrant(jwt(keys.getPrivate(), key, "sync@acme.example", "https://login.salesforce.com", now - 5)).status());
        assertEquals("user hasn't approved this consumer", jwtGrant(jwt(keys.getPrivate(), key, "someone@else", "https://login.salesforce.com", now + 60))
                .json().path("error_description").asText());
    }

    @Test
    void expiredSessionGetsInvalidSessionId() throws IOException {
        assertEquals(200, get(V + "/limits").status());
        emulator.auth().expireAllSessions();
        final Result expired = get(V + "/limits");
        assertEquals(401, expired.status());
        assertEquals("INVALID_SESSION_ID", expired.json().get(0).path("errorCode").asText());
        assertEquals("Session expired or invalid", expired.json().get(0).path("message").asText());
    }

    @Test
    void upsertReportsPerRecordResultsInRequestOrder() throws IOException {
        final String body = """
                {"allOrNone":false,"records":[
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-1","LastName":"Lee","Email":"lee@example.com","Birthdate":"1990-03-07","Orders__c":3},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-2","Email":"x@example.com"},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-3","LastName":"Kim","Shoe_Size__c":44},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-4","LastName":"Ito","Birthdate":"07/03/1990"},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-5","LastName":"Ola","LeadSource":"Billboard"},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-6","LastName":"Dup"},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"w-6","LastName":"Dup2"}]}""";
        final Result result = patch(V + "/composite/sobjects/Contact/Warehouse_Id__c", body);
        assertEquals(200, result.status());
        final JsonNode results = result.json();
        assertEquals(7, results.size());
        assertTrue(results.get(0).path("success").asBoolean());
        assertTrue(results.get(0).path("created").asBoolean());
        assertEquals(18, results.get(0).path("id").asText().length());
        assertTrue(results.get(0).path("id").asText().startsWith("003"));
        assertError(results.get(1), "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]");
        assertError(results.get(2), "INVALID_FIELD", "No such column 'Shoe_Size__c' on sobject of type Contact");
        assertError(results.get(3), "INVALID_TYPE_ON_FIELD_IN_RECORD", "Birthdate: value not of required type: 07/03/1990");
        assertError(results.get(4), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "LeadSource: bad value for restricted picklist field: Billboard");
        assertEquals("DUPLICATE_VALUE", results.get(5).path("errors").get(0).path("statusCode").asText());
        assertEquals("DUPLICATE_VALUE", results.get(6).path("errors").get(0).path("statusCode").asText());
        assertEquals(1, emulator.store().count("Contact"));
        final Map<String, Object> stored = emulator.store().findByExternalId("Contact", "Warehouse_Id__c", "w-1").get(0);
        assertEquals("1990-03-07", stored.get("Birthdate"));
        assertEquals(3L, stored.get("Orders__c"));

        final Result again = patch(V + "/composite/sobjects/Contact/Warehouse_Id__c",
                "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Warehouse_Id__c\":\"w-1\",\"Email\":null,\"Birthdate\":null}]}");
        assertFalse(again.json().get(0).path("created").asBoolean());
        assertEquals(results.get(0).path("id").asText(), again.json().get(0).path("id").asText());
        final Map<String, Object> updated = emulator.store().get(results.get(0).path("id").asText());
        assertNull(updated.get("Email"));
        assertEquals("Lee", updated.get("LastName"));
        assertEquals(1, emulator.store().count("Contact"));
    }

    @Test
    void allOrNoneRollsBackEveryRecord() throws IOException {
        final String body = """
                {"allOrNone":true,"records":[
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-1","LastName":"Lee"},
                 {"attributes":{"type":"Contact"},"Warehouse_Id__c":"W-2"}]}""";
        final JsonNode results = patch(V + "/composite/sobjects/Contact/Warehouse_Id__c", body).json();
        assertEquals("ALL_OR_NONE_OPERATION_ROLLED_BACK", results.get(0).path("errors").get(0).path("statusCode").asText());
        assertEquals("REQUIRED_FIELD_MISSING", results.get(1).path("errors").get(0).path("statusCode").asText());
        assertEquals(0, emulator.store().count("Contact"));
    }

    @Test
    void requestLevelErrors() throws IOException {
        final StringBuilder tooMany = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 201; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"L").append(i).append("\"}");
        }
        final Result result = post(V + "/composite/sobjects", RequestBody.create(tooMany.append("]}").toString(), JSON), token);
        assertEquals(400, result.status());
        assertEquals("EXCEEDED_ID_LIMIT", result.json().get(0).path("errorCode").asText());
        assertEquals(0, emulator.store().count("Contact"));

        final Result noType = post(V + "/composite/sobjects", RequestBody.create("{\"records\":[{\"LastName\":\"A\"}]}", JSON), token);
        assertEquals(400, noType.status());
        assertEquals("INVALID_TYPE", noType.json().get(0).path("errorCode").asText());

        final Result badExternalId = patch(V + "/composite/sobjects/Contact/LastName", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"A\"}]}");
        assertEquals(400, badExternalId.status());
    }

    @Test
    void createUpdateDeleteAndRelationshipsByExternalId() throws IOException {
        final JsonNode account = post(V + "/composite/sobjects", RequestBody.create(
                "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Acme\",\"Warehouse_Id__c\":\"A-1\"}]}", JSON), token).json();
        final String accountId = account.get(0).path("id").asText();
        final JsonNode created = post(V + "/composite/sobjects", RequestBody.create("""
                {"records":[{"attributes":{"type":"Contact"},"LastName":"Lee","Account":{"Warehouse_Id__c":"a-1"}},
                            {"attributes":{"type":"Contact"},"LastName":"Kim","Account":{"Warehouse_Id__c":"A-404"}},
                            {"attributes":{"type":"Contact"},"Id":"003000000000001AAA","LastName":"Ito"}]}""", JSON), token).json();
        assertTrue(created.get(0).path("success").asBoolean());
        assertEquals(accountId, emulator.store().get(created.get(0).path("id").asText()).get("AccountId"));
        assertEquals("INVALID_FIELD", created.get(1).path("errors").get(0).path("statusCode").asText());
        assertEquals("INVALID_FIELD_FOR_INSERT_UPDATE", created.get(2).path("errors").get(0).path("statusCode").asText());

        final String contactId = created.get(0).path("id").asText();
        final JsonNode updated = patch(V + "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + contactId.substring(0, 15)
                + "\",\"FirstName\":\"Ann\"},{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + contactId + "\",\"LastName\":null}]}").json();
        assertTrue(updated.get(0).path("success").asBoolean());
        assertEquals("REQUIRED_FIELD_MISSING", updated.get(1).path("errors").get(0).path("statusCode").asText());
        assertEquals("Ann", emulator.store().get(contactId).get("FirstName"));

        final JsonNode deleted = delete(V + "/composite/sobjects?ids=" + contactId + "," + contactId + "&allOrNone=false").json();
        assertTrue(deleted.get(0).path("success").asBoolean());
        assertEquals("ENTITY_IS_DELETED", deleted.get(1).path("errors").get(0).path("statusCode").asText());
        assertEquals(0, emulator.store().count("Contact"));
    }

    @Test
    void bulkIngestJobRunsItsStateMachineAndReportsResults() throws Exception {
        emulator.bulkDelays(100, 100);
        final JsonNode job = post(V + "/jobs/ingest", RequestBody.create(
                "{\"object\":\"Contact\",\"operation\":\"upsert\",\"externalIdFieldName\":\"Warehouse_Id__c\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}", JSON), token).json();
        assertEquals("Open", job.path("state").asText());
        final String jobId = job.path("id").asText();
        assertTrue(jobId.startsWith("750"));
        patch(V + "/composite/sobjects/Contact/Warehouse_Id__c", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Warehouse_Id__c\":\"W-2\",\"LastName\":\"Old\",\"Email\":\"old@example.com\"}]}");
        final String csv = "Warehouse_Id__c,LastName,Email,Birthdate\nW-1,Lee,\"lee@example.com\",1990-03-07\nW-2,\"Ng, Jr.\",#N/A,\nW-3,,x@example.com,\n";
        assertEquals(201, put(V + "/jobs/ingest/" + jobId + "/batches", csv).status());
        assertEquals(400, put(V + "/jobs/ingest/" + jobId + "/batches", csv).status());
        assertEquals("UploadComplete", patch(V + "/jobs/ingest/" + jobId, "{\"state\":\"UploadComplete\"}").json().path("state").asText());
        assertEquals(400, put(V + "/jobs/ingest/" + jobId + "/batches", csv).status());
        final JsonNode done = awaitTerminal(jobId);
        assertEquals("JobComplete", done.path("state").asText());
        assertEquals(3, done.path("numberRecordsProcessed").asInt());
        assertEquals(1, done.path("numberRecordsFailed").asInt());

        final String successful = get(V + "/jobs/ingest/" + jobId + "/successfulResults").body();
        assertTrue(successful.startsWith("\"sf__Id\",\"sf__Created\",\"Warehouse_Id__c\",\"LastName\",\"Email\",\"Birthdate\""), successful);
        assertTrue(successful.contains("\"true\",\"W-1\""), successful);
        assertTrue(successful.contains("\"false\",\"W-2\",\"Ng, Jr.\",\"#N/A\""), successful);
        final String failed = get(V + "/jobs/ingest/" + jobId + "/failedResults").body();
        assertTrue(failed.contains("\"REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --\",\"W-3\""), failed);
        final Map<String, Object> w2 = emulator.store().findByExternalId("Contact", "Warehouse_Id__c", "W-2").get(0);
        assertNull(w2.get("Email"));
        assertEquals("Ng, Jr.", w2.get("LastName"));
        assertEquals(204, delete(V + "/jobs/ingest/" + jobId).status());
        assertEquals(404, get(V + "/jobs/ingest/" + jobId).status());
    }

    @Test
    void failedAndAbortedJobsLeaveRowsUnprocessed() throws Exception {
        emulator.bulkDelays(0, 0).failNextBulkJob("InvalidBatch : injected failure");
        final String failedJob = post(V + "/jobs/ingest", RequestBody.create("{\"object\":\"Contact\",\"operation\":\"insert\"}", JSON), token).json().path("id").asText();
        put(V + "/jobs/ingest/" + failedJob + "/batches", "LastName\nA\nB\n");
        patch(V + "/jobs/ingest/" + failedJob, "{\"state\":\"UploadComplete\"}");
        final JsonNode info = awaitTerminal(failedJob);
        assertEquals("Failed", info.path("state").asText());
        assertEquals("InvalidBatch : injected failure", info.path("errorMessage").asText());
        assertEquals("\"LastName\"\n\"A\"\n\"B\"\n", get(V + "/jobs/ingest/" + failedJob + "/unprocessedrecords").body());
        assertEquals(0, emulator.store().count("Contact"));

        final String crlfJob = post(V + "/jobs/ingest", RequestBody.create("{\"object\":\"Contact\",\"operation\":\"insert\",\"lineEnding\":\"LF\"}", JSON), token).json().path("id").asText();
        put(V + "/jobs/ingest/" + crlfJob + "/batches", "LastName\r\nA\r\n");
        patch(V + "/jobs/ingest/" + crlfJob, "{\"state\":\"UploadComplete\"}");
        assertEquals("Failed", awaitTerminal(crlfJob).path("state").asText());

        final String abortedJob = post(V + "/jobs/ingest", RequestBody.create("{\"object\":\"Contact\",\"operation\":\"insert\"}", JSON), token).json().path("id").asText();
        put(V + "/jobs/ingest/" + abortedJob + "/batches", "LastName\nA\n");
        assertEquals("Aborted", patch(V + "/jobs/ingest/" + abortedJob, "{\"state\":\"Aborted\"}").json().path("state").asText());
        assertEquals(0, emulator.store().count("Contact"));
    }

    @Test
    void soqlLookupPagesWithNextRecordsUrl() throws IOException {
        for (int batch = 0; batch < 3; batch++) {
            final StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 150; i++) {
                body.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"L\",\"Warehouse_Id__c\":\"W-").append(batch * 150 + i).append("\"}");
            }
            patch(V + "/composite/sobjects/Contact/Warehouse_Id__c", body.append("]}").toString());
        }
        final Request first = new Request.Builder().url(emulator.baseUrl() + V + "/query?q=SELECT+Id,Warehouse_Id__c+FROM+Contact")
                .header("Authorization", "Bearer " + token).header("Sforce-Query-Options", "batchSize=200").build();
        final List<String> keys = new ArrayList<>();
        JsonNode page = call(first).json();
        assertEquals(450, page.path("totalSize").asInt());
        while (true) {
            page.path("records").forEach(record -> keys.add(record.path("Warehouse_Id__c").asText()));
            if (page.path("done").asBoolean()) {
                break;
            }
            page = get(page.path("nextRecordsUrl").asText()).json();
        }
        assertEquals(450, keys.size());
        final JsonNode filtered = get(V + "/query?q=" + "SELECT Id, Warehouse_Id__c FROM Contact WHERE Warehouse_Id__c IN ('w-1','W-2','W-999')").json();
        assertEquals(2, filtered.path("totalSize").asInt());
        assertEquals(400, get(V + "/query?q=SELECT Id FROM Contact WHERE").status());
    }

    @Test
    void limitsHeaderDailyAllocationAndDescribe() throws IOException {
        final Result describe = get(V + "/sobjects/Contact/describe");
        assertEquals("api-usage=1/100000", describe.header());
        boolean externalIdFound = false;
        for (final JsonNode field : describe.json().path("fields")) {
            if ("Warehouse_Id__c".equals(field.path("name").asText())) {
                externalIdFound = field.path("externalId").asBoolean() && field.path("idLookup").asBoolean();
            }
        }
        assertTrue(externalIdFound);
        assertEquals(404, get(V + "/sobjects/Nope__c/describe").status());

        emulator.limits().dailyApiRequests(4);
        final Result limits = get(V + "/limits");
        assertEquals(4, limits.json().path("DailyApiRequests").path("Max").asInt());
        assertEquals(1, limits.json().path("DailyApiRequests").path("Remaining").asInt());
        assertEquals(200, get(V + "/limits").status());
        final Result refused = get(V + "/limits");
        assertEquals(403, refused.status());
        assertEquals("REQUEST_LIMIT_EXCEEDED", refused.json().get(0).path("errorCode").asText());
        assertEquals("TotalRequests Limit exceeded.", refused.json().get(0).path("message").asText());
        assertEquals("api-usage=4/4", refused.header());
    }

    @Test
    void concurrentLongRunningRequestsAreLimited() throws Exception {
        emulator.limits().concurrentLongRunningRequests(2, 0).processingMillis(400);
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            final List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(pool.submit(() -> get(V + "/limits").status()));
                Thread.sleep(50);
            }
            final List<Integer> codes = new ArrayList<>();
            for (final Future<Integer> status : statuses) {
                codes.add(status.get());
            }
            assertEquals(List.of(200, 200, 403), codes);
            assertEquals(2, emulator.limits().maxConcurrentSeen());
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode awaitTerminal(final String jobId) throws Exception {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            final JsonNode info = get(V + "/jobs/ingest/" + jobId).json();
            final String state = info.path("state").asText();
            if ("JobComplete".equals(state) || "Failed".equals(state) || "Aborted".equals(state)) {
                return info;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job did not finish");
    }

    private static void assertError(final JsonNode result, final String statusCode, final String message) {
        assertFalse(result.path("success").asBoolean());
        assertTrue(result.path("id").isNull());
        assertEquals(statusCode, result.path("errors").get(0).path("statusCode").asText());
        assertEquals(message, result.path("errors").get(0).path("message").asText());
        assertNotNull(result.path("errors").get(0).path("fields"));
    }

    private String clientCredentialsToken() throws IOException {
        return post("/services/oauth2/token", new FormBody.Builder().add("grant_type", "client_credentials")
                .add("client_id", emulator.auth().consumerKey()).add("client_secret", emulator.auth().consumerSecret()).build(), null)
                .json().path("access_token").asText();
    }

    private Result jwtGrant(final String assertion) throws IOException {
        return post("/services/oauth2/token", new FormBody.Builder().add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .add("assertion", assertion).build(), null);
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String jwt(final PrivateKey key, final String issuer, final String subject, final String audience, final long expiry)
            throws GeneralSecurityException {
        final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        final String header = encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        final String claims = encoder.encodeToString(Json.object("iss", issuer, "sub", subject, "aud", audience, "exp", expiry).toString()
                .getBytes(StandardCharsets.UTF_8));
        final Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + encoder.encodeToString(signature.sign());
    }

    private record Result(int status, String body, String header) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    private Result get(final String path) throws IOException {
        return call(new Request.Builder().url(emulator.baseUrl() + path).header("Authorization", "Bearer " + token).build());
    }

    private Result delete(final String path) throws IOException {
        return call(new Request.Builder().url(emulator.baseUrl() + path).delete().header("Authorization", "Bearer " + token).build());
    }

    private Result patch(final String path, final String json) throws IOException {
        return call(new Request.Builder().url(emulator.baseUrl() + path).patch(RequestBody.create(json, JSON)).header("Authorization", "Bearer " + token).build());
    }

    private Result put(final String path, final String csv) throws IOException {
        return call(new Request.Builder().url(emulator.baseUrl() + path).put(RequestBody.create(csv, MediaType.get("text/csv")))
                .header("Authorization", "Bearer " + token).build());
    }

    private Result post(final String path, final RequestBody body, final String bearer) throws IOException {
        final Request.Builder request = new Request.Builder().url(emulator.baseUrl() + path).post(body);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return call(request.build());
    }

    private Result call(final Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            return new Result(response.code(), response.body().string(), response.header("Sforce-Limit-Info"));
        }
    }
}
