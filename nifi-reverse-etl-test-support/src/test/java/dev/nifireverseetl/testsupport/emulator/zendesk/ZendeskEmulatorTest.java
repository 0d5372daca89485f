package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.testsupport.emulator.Json;
import okhttp3.Headers;
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
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskEmulatorTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin@acme.com/token:secret-token".getBytes(StandardCharsets.UTF_8));

    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private final OkHttpClient client = new OkHttpClient();
    private ZendeskEmulator zendesk;

    @BeforeEach
    void start() {
        zendesk = new ZendeskEmulator().apiToken("admin@acme.com", "secret-token").oauthToken("oauth-access").jobDuration(3000, 3000);
        zendesk.server().clock(clock::get);
        zendesk.start();
    }

    @AfterEach
    void stop() {
        zendesk.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Test
    void createOrUpdateManyRunsAsAJobWhoseResultsFollowRequestOrder() throws IOException {
        zendesk.seedUser(Json.object("name", "Existing", "email", "bo@example.com", "external_id", "W-2"));
        final Answer queued = post("/api/v2/users/create_or_update_many", """
                {"users":[{"name":"Ann","email":"ann@example.com","external_id":"W-1"},
                          {"name":"Bo B","external_id":"w-2"},
                          {"name":"Bad","email":"x@"}]}""");
        assertEquals(200, queued.status);
        final String jobId = queued.body.path("job_status").path("id").asText();
        assertEquals("queued", queued.body.path("job_status").path("status").asText());
        assertEquals(3, queued.body.path("job_status").path("total").asInt());

        clock.addAndGet(1500);
        assertEquals("working", get("/api/v2/job_statuses/" + jobId).body.path("job_status").path("status").asText());
        assertNull(zendesk.userByExternalId("W-1"), "nothing is applied before the job completes");

        clock.addAndGet(1500);
        final JsonNode done = get("/api/v2/job_statuses/" + jobId + ".json").body.path("job_status");
        assertEquals("completed", done.path("status").asText());
        assertEquals(3, done.path("progress").asInt());
        final JsonNode results = done.path("results");
        assertEquals("Created", results.get(0).path("status").asText());
        assertEquals(0, results.get(0).path("index").asInt());
        assertEquals("Updated", results.get(1).path("status").asText());
        assertEquals("Failed", results.get(2).path("status").asText());
        assertTrue(results.get(2).path("details").asText().contains("is not properly formatted"));
        assertEquals("w-2", zendesk.userByEmail("BO@example.com").path("external_id").asText(), "external_id takes the casing sent");
        assertEquals("Bo B", zendesk.userByExternalId("W-2").path("name").asText());
        assertEquals(2, zendesk.users().size());
    }

    @Test
    void externalIdOfOneUserWithTheEmailOfAnotherFailsAsDuplicate() throws IOException {
        zendesk.seedUser(Json.object("name", "A", "email", "a@example.com", "external_id", "A-1"));
        zendesk.seedUser(Json.object("name", "B", "email", "b@example.com", "external_id", "B-1"));
        final JsonNode results = runJob(post("/api/v2/users/create_or_update_many", "{\"users\":[{\"external_id\":\"a-1\",\"email\":\"B@example.com\"}]}"));
        assertEquals("Failed", results.get(0).path("status").asText());
        assertEquals("DuplicateValue", results.get(0).path("error").asText());
    }

    @Test
    void aNewEmailOnUpdateAddsASecondaryIdentity() throws IOException {
        final long id = zendesk.seedUser(Json.object("name", "A", "email", "a@example.com", "external_id", "A-1")).get("id").asLong();
        runJob(post("/api/v2/users/create_or_update_many", "{\"users\":[{\"external_id\":\"A-1\",\"email\":\"new@example.com\"}]}"));
        assertEquals("a@example.com", zendesk.userByExternalId("A-1").path("email").asText());
        assertEquals(2, zendesk.emailsOf(id).size());
        assertEquals(id, zendesk.userByEmail("new@example.com").path("id").asLong());
    }

    @Test
    void rejectedItemsFailWithTheConfiguredError() throws IOException {
        zendesk.rejectUsers(user -> "W-9".equals(user.path("external_id").asText()), "InvalidValue", "Plan: is not a valid option");
        final JsonNode results = runJob(post("/api/v2/users/create_or_update_many",
                "{\"users\":[{\"name\":\"A\",\"external_id\":\"W-8\"},{\"name\":\"B\",\"external_id\":\"W-9\"}]}"));
        assertEquals("Created", results.get(0).path("status").asText());
        assertEquals("Plan: is not a valid option", results.get(1).path("details").asText());
    }

    @Test
    void jobsCanDieAndNeverComplete() throws IOException {
        zendesk.nextJobs(JobFate.DIE, JobFate.NEVER_COMPLETE).jobRetention(60_000);
        final String dying = post("/api/v2/users/create_or_update_many",
                "{\"users\":[{\"name\":\"A\",\"external_id\":\"D-1\"},{\"name\":\"B\",\"external_id\":\"D-2\"},{\"name\":\"C\",\"external_id\":\"D-3\"}]}")
                .body.path("job_status").path("id").asText();
        final String stuck = post("/api/v2/users/create_or_update_many", "{\"users\":[{\"name\":\"S\",\"external_id\":\"S-1\"}]}")
                .body.path("job_status").path("id").asText();
        clock.addAndGet(10_000);
        final JsonNode many = get("/api/v2/job_statuses/show_many?ids=" + dying + "," + stuck).body.path("job_statuses");
        assertEquals("failed", many.get(0).path("status").asText());
        assertTrue(many.get(0).path("results").isNull());
        assertFalse(many.get(0).path("message").asText().isEmpty());
        assertEquals(2, zendesk.users().size(), "the dead job processed its first half");
        assertEquals("working", many.get(1).path("status").asText());
        assertEquals(1, zendesk.activeJobs());

        clock.addAndGet(60_000);
        assertEquals(404, get("/api/v2/job_statuses/" + stuck).status, "jobs expire");
        assertEquals("RecordNotFound", get("/api/v2/job_statuses/" + dying).body.path("error").asText());
    }

    @Test
    void atMostThirtyJobsQueuedOrRunning() throws IOException {
        for (int i = 0; i < 30; i++) {
            assertEquals(200, post("/api/v2/users/create_or_update_many", "{\"users\":[{\"name\":\"U\",\"external_id\":\"J-" + i + "\"}]}").status);
        }
        final Answer refused = post("/api/v2/users/create_or_update_many", "{\"users\":[{\"name\":\"U\",\"external_id\":\"J-30\"}]}");
        assertEquals(429, refused.status);
        assertEquals("TooManyJobs", refused.body.path("error").asText());
        assertNotNull(refused.retryAfter);
        clock.addAndGet(3000);
        assertEquals(200, post("/api/v2/users/create_or_update_many", "{\"users\":[{\"name\":\"U\",\"external_id\":\"J-30\"}]}").status);
        assertEquals(30, zendesk.maxActiveJobsSeen());
    }

    @Test
    void rateLimitPerMinuteWithZendeskHeaders() throws IOException {
        zendesk.plan(3);
        final Answer first = get("/api/v2/users/me");
        assertEquals("3", first.headers.get("X-Rate-Limit"));
        assertEquals("2", first.headers.get("X-Rate-Limit-Remaining"));
        get("/api/v2/users/show_many?external_ids=a");
        final Answer users = get("/api/v2/users/search?external_id=a");
        assertEquals("0", users.headers.get("ratelimit-remaining"));
        assertNotNull(users.headers.get("ratelimit-reset"));
        final Answer limited = get("/api/v2/users/me");
        assertEquals(429, limited.status);
        assertEquals("60", limited.retryAfter);
        clock.addAndGet(60_000);
        assertEquals(200, get("/api/v2/users/me").status);
    }

    @Test
    void bulkImportDisabledIsForbidden() throws IOException {
        zendesk.bulkImportEnabled(false);
        final Answer answer = post("/api/v2/users/create_or_update_many", "{\"users\":[{\"name\":\"A\",\"external_id\":\"A\"}]}");
        assertEquals(403, answer.status);
        assertEquals("Forbidden", answer.body.path("error").asText());
    }

    @Test
    void moreThanOneHundredItemsAreRefused() throws IOException {
        final StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = 0; i < 101; i++) {
            users.append(i == 0 ? "" : ",").append("{\"name\":\"U\",\"external_id\":\"X").append(i).append("\"}");
        }
        assertEquals(400, post("/api/v2/users/create_or_update_many", users.append("]}").toString()).status);
    }

    @Test
    void authenticationByApiTokenOrBearer() throws IOException {
        final Request anonymous = new Request.Builder().url(zendesk.baseUrl() + "/api/v2/users/me").build();
        try (Response response = client.newCall(anonymous).execute()) {
            assertEquals(401, response.code());
            assertEquals("Couldn't authenticate you", Json.MAPPER.readTree(response.body().string()).path("error").asText());
        }
        final Request password = new Request.Builder().url(zendesk.baseUrl() + "/api/v2/users/me")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin@acme.com:secret-token".getBytes(StandardCharsets.UTF_8))).build();
        try (Response response = client.newCall(password).execute()) {
            assertEquals(401, response.code(), "password authentication is not supported");
        }
        final Request bearer = new Request.Builder().url(zendesk.baseUrl() + "/api/v2/users/me").header("Authorization", "Bearer oauth-access").build();
        try (Response response = client.newCall(bearer).execute()) {
            assertEquals(200, response.code());
        }
        assertEquals("admin@acme.com", get("/api/v2/users/me").body.path("user").path("email").asText());
    }

    @Test
    void lookupsUpdatesSuspensionAndDeletion() throws IOException {
        final long id = zendesk.seedUser(Json.object("name", "A", "email", "a@example.com", "external_id", "A-1")).get("id").asLong();
        zendesk.seedUser(Json.object("name", "B", "email", "b@example.com", "external_id", "B-1"));
        assertEquals(2, get("/api/v2/users/show_many?external_ids=a-1,B-1,missing").body.path("users").size());
        assertEquals(id, get("/api/v2/users/search?query=email:A@example.com").body.path("users").get(0).path("id").asLong());

        final JsonNode suspended = runJob(put("/api/v2/users/update_many?external_ids=A-1,missing", "{\"user\":{\"suspended\":true}}"));
        assertTrue(suspended.get(0).path("success").asBoolean());
        assertFalse(suspended.get(1).path("success").asBoolean());
        assertTrue(zendesk.userByExternalId("A-1").path("suspended").asBoolean());

        final JsonNode batch = runJob(put("/api/v2/users/update_many", "{\"users\":[{\"id\":" + id + ",\"name\":\"A2\"}]}"));
        assertEquals("Updated", batch.get(0).path("status").asText());
        assertEquals("A2", zendesk.userByExternalId("A-1").path("name").asText());

        final JsonNode deleted = runJob(delete("/api/v2/users/destroy_many?external_ids=B-1"));
        assertEquals("Deleted", deleted.get(0).path("status").asText());
        assertNull(zendesk.userByExternalId("B-1"));
        assertEquals(1, zendesk.deletedUsers());
    }

    @Test
    void organizationsMatchByExternalIdNeverByName() throws IOException {
        final Answer created = post("/api/v2/organizations/create_or_update", "{\"organization\":{\"name\":\"Acme\",\"external_id\":\"ORG-1\"}}");
        assertEquals(201, created.status);
        final Answer updated = post("/api/v2/organizations/create_or_update", "{\"organization\":{\"name\":\"Acme Inc\",\"external_id\":\"org-1\"}}");
        assertEquals(200, updated.status);
        final Answer duplicateName = post("/api/v2/organizations/create_or_update", "{\"organization\":{\"name\":\"Acme Inc\",\"external_id\":\"ORG-2\"}}");
        assertEquals(422, duplicateName.status);
        assertEquals("RecordInvalid", duplicateName.body.path("error").asText());
        assertEquals("DuplicateValue", duplicateName.body.path("details").path("name").get(0).path("error").asText());

        final JsonNode many = runJob(post("/api/v2/organizations/create_many", "{\"organizations\":[{\"name\":\"Beta\",\"external_id\":\"ORG-3\"}]}"));
        assertEquals(0, many.get(0).path("index").asInt());
        final long betaId = many.get(0).path("id").asLong();
        runJob(put("/api/v2/organizations/update_many", "{\"organizations\":[{\"id\":" + betaId + ",\"notes\":\"vip\"}]}"));
        assertEquals("vip", zendesk.organizationByExternalId("orG-3").path("notes").asText());
        assertEquals(2, get("/api/v2/organizations/show_many?external_ids=ORG-1,ORG-3").body.path("organizations").size());
    }

    private JsonNode runJob(final Answer queued) throws IOException {
        assertEquals(200, queued.status, queued.body.toString());
        clock.addAndGet(3000);
        final JsonNode job = get("/api/v2/job_statuses/" + queued.body.path("job_status").path("id").asText()).body.path("job_status");
        assertEquals("completed", job.path("status").asText());
        return job.path("results");
    }

    private Answer get(final String path) throws IOException {
        return call(new Request.Builder().url(zendesk.baseUrl() + path).get());
    }

    private Answer post(final String path, final String body) throws IOException {
        return call(new Request.Builder().url(zendesk.baseUrl() + path).post(RequestBody.create(body, JSON)));
    }

    private Answer put(final String path, final String body) throws IOException {
        return call(new Request.Builder().url(zendesk.baseUrl() + path).put(RequestBody.create(body, JSON)));
    }

    private Answer delete(final String path) throws IOException {
        return call(new Request.Builder().url(zendesk.baseUrl() + path).delete());
    }

    private Answer call(final Request.Builder builder) throws IOException {
        try (Response response = client.newCall(builder.header("Authorization", BASIC).build()).execute()) {
            final String text = response.body().string();
            return new Answer(response.code(), text.isEmpty() ? Json.object() : Json.MAPPER.readTree(text), response.headers(), response.header("Retry-After"));
        }
    }

    private record Answer(int status, JsonNode body, Headers headers, String retryAfter) {
    }
}
