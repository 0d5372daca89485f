package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RequestHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A stateful emulator of the Zendesk Support API v2 users, organizations and job-status endpoints, written from
 * {@code reference/destinations.md} §3 and Zendesk's OAS extract in {@code shared/specs/}.
 * <ul>
 *     <li>Users matched by email (any identity) or external_id, case-insensitively; organizations by id or external_id
 *     ({@link ZendeskDirectory}).</li>
 *     <li>Bulk endpoints (≤ 100 items) answer {@code 200 {"job_status":{…"status":"queued"}}}; the job moves queued →
 *     working → completed over a configurable time and its {@code results[]} are in request order. Jobs can be made to
 *     die ({@code failed}) or never complete ({@link JobFate}), and they expire (404) a retention time after they
 *     finish.</li>
 *     <li>At most 30 jobs queued or running (429 {@code TooManyJobs} with Retry-After beyond that).</li>
 *     <li>Per-minute rate limit of the plan with {@code X-Rate-Limit*} / {@code ratelimit-*} headers, 429 + Retry-After.</li>
 *     <li>403 on users/create_many and create_or_update_many when bulk user import is disabled.</li>
 *     <li>Basic {@code email/token:TOKEN} and Bearer authentication; 401 {@code Couldn't authenticate you} otherwise.</li>
 * </ul>
 * The {@code .json} suffix of every path is optional, as in Zendesk. Thread-safe: every request is served under one lock
 * (latency and faults are added by {@link EmulatorServer} outside it).
 */
public final class ZendeskEmulator implements AutoCloseable {

    public static final int MAX_BATCH = 100;
    public static final int DEFAULT_JOB_LIMIT = 30;

    private final EmulatorServer server;
    private final ZendeskDirectory directory;
    private final Map<String, ZendeskJob> jobs = new LinkedHashMap<>();
    private final Deque<JobFate> scheduledFates = new ArrayDeque<>();
    private final Set<String> basicCredentials = new HashSet<>();
    private final Set<String> bearerTokens = new HashSet<>();
    private final Random random = new Random(11);
    private JobFate defaultFate = JobFate.COMPLETE;
    private long jobMinMillis = 300;
    private long jobMaxMillis = 900;
    private long jobRetentionMillis = 3_600_000L;
    private int jobLimit = DEFAULT_JOB_LIMIT;
    private boolean bulkImportEnabled = true;
    private long jobsCreated;
    private int maxActiveJobsSeen;
    private long jobSequence;

    public ZendeskEmulator() {
        this(new EmulatorServer());
    }

    public ZendeskEmulator(final EmulatorServer server) {
        this.server = server;
        this.directory = new ZendeskDirectory(server::now);
        registerRoutes();
        plan(700);
    }

    public ZendeskEmulator start() {
        server.start();
        return this;
    }

    public EmulatorServer server() {
        return server;
    }

    /**
     * @return the base URL (scheme, host and port, no trailing slash); the API lives under {@code /api/v2}
     */
    public String baseUrl() {
        return server.baseUrl();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Accepts {@code Basic base64("{email}/token:{apiToken}")}.
     */
    public synchronized ZendeskEmulator apiToken(final String email, final String apiToken) {
        basicCredentials.add(email + "/token:" + apiToken);
        return this;
    }

    /**
     * Accepts {@code Bearer {accessToken}}.
     */
    public synchronized ZendeskEmulator oauthToken(final String accessToken) {
        bearerTokens.add(accessToken);
        return this;
    }

    /**
     * Removes every accepted credential (for example to emulate a revoked token).
     */
    public synchronized ZendeskEmulator revokeCredentials() {
        basicCredentials.clear();
        bearerTokens.clear();
        return this;
    }

    /**
     * The account's per-minute request limit (Suite Team 200, Growth/Professional 400, Enterprise 700, Enterprise Plus
     * or High Volume 2,500).
     */
    public ZendeskEmulator plan(final int requestsPerMinute) {
        server.rateLimiter(new ZendeskRateLimiter(requestsPerMinute));
        return this;
    }

    public synchronized ZendeskEmulator bulkImportEnabled(final boolean enabled) {
        this.bulkImportEnabled = enabled;
        return this;
    }

    /**
     * Each job takes a uniformly random time in [min, max] from its creation to its end (queued for the first third).
     */
    public synchronized ZendeskEmulator jobDuration(final long minMillis, final long maxMillis) {
        this.jobMinMillis = minMillis;
        this.jobMaxMillis = Math.max(minMillis, maxMillis);
        return this;
    }

    /**
     * Finished jobs disappear (404) this long after they end; jobs that never complete disappear this long after they
     * were created.
     */
    public synchronized ZendeskEmulator jobRetention(final long millis) {
        this.jobRetentionMillis = millis;
        return this;
    }

    public synchronized ZendeskEmulator jobLimit(final int maxQueuedOrRunning) {
        this.jobLimit = maxQueuedOrRunning;
        return this;
    }

    /**
     * The fates of the next jobs created, in order; later jobs get the default fate.
     */
    public synchronized ZendeskEmulator nextJobs(final JobFate... fates) {
        scheduledFates.addAll(List.of(fates));
        return this;
    }

    public synchronized ZendeskEmulator defaultJobFate(final JobFate fate) {
        this.defaultFate = fate;
        return this;
    }

    /**
     * User items matching the predicate fail in their job with this error and details (per-item partial failure).
     */
    public synchronized ZendeskEmulator rejectUsers(final Predicate<JsonNode> predicate, final String error, final String details) {
        directory.rejectUsers(predicate, error, details);
        return this;
    }

    /**
     * Every job disappears now (as if its results had expired).
     */
    public synchronized ZendeskEmulator expireAllJobs() {
        jobs.clear();
        return this;
    }

    // ---------------------------------------------------------------- state for assertions

    public synchronized List<ObjectNode> users() {
        settle();
        final List<ObjectNode> copies = new ArrayList<>();
        for (final ObjectNode user : directory.users()) {
            copies.add(user.deepCopy());
        }
        return copies;
    }

    public synchronized ObjectNode userByExternalId(final String externalId) {
        settle();
        final ObjectNode user = directory.userByExternalId(externalId);
        return user == null ? null : user.deepCopy();
    }

    public synchronized ObjectNode userByEmail(final String email) {
        settle();
        final ObjectNode user = directory.userByEmail(email);
        return user == null ? null : user.deepCopy();
    }

    public synchronized List<String> emailsOf(final long userId) {
        return directory.emailsOf(userId);
    }

    public synchronized long deletedUsers() {
        settle();
        return directory.deletedUsers();
    }

    public synchronized List<ObjectNode> organizations() {
        settle();
        final List<ObjectNode> copies = new ArrayList<>();
        for (final ObjectNode organization : directory.organizations()) {
            copies.add(organization.deepCopy());
        }
        return copies;
    }

    public synchronized ObjectNode organizationByExternalId(final String externalId) {
        settle();
        final ObjectNode organization = directory.organizationByExternalId(externalId);
        return organization == null ? null : organization.deepCopy();
    }

    /**
     * Seeds an organization directly (not through the API).
     */
    public synchronized ObjectNode seedOrganization(final JsonNode organization) {
        final ZendeskDirectory.OrganizationWrite write = directory.createOrUpdateOrganization(organization);
        if (write.failure() != null) {
            throw new IllegalArgumentException(write.failure().details());
        }
        return write.organization().deepCopy();
    }

    /**
     * Seeds a user directly (not through the API), matched like create_or_update.
     */
    public synchronized ObjectNode seedUser(final JsonNode user) {
        final ZendeskItemResult result = directory.createOrUpdateUser(0, user);
        if ("Failed".equals(result.node().path("status").asText())) {
            throw new IllegalArgumentException(result.node().path("details").asText());
        }
        return directory.user(result.node().get("id").asLong()).deepCopy();
    }

    public synchronized long jobsCreated() {
        return jobsCreated;
    }

    /**
     * @return the largest number of jobs queued or running at once, as seen when jobs were created
     */
    public synchronized int maxActiveJobsSeen() {
        return maxActiveJobsSeen;
    }

    public synchronized int activeJobs() {
        settle();
        return (int) jobs.values().stream().filter(ZendeskJob::active).count();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------- routes

    private void registerRoutes() {
        route("GET", "/api/v2/users/me", this::me);
        route("POST", "/api/v2/users/create_or_update_many", request -> bulkUsers(request, "create_or_update_many", directory::createOrUpdateUser));
        route("POST", "/api/v2/users/create_many", request -> bulkUsers(request, "create_many", directory::createUser));
        route("POST", "/api/v2/users/create_or_update", this::createOrUpdateUser);
        route("PUT", "/api/v2/users/update_many", this::updateManyUsers);
        route("DELETE", "/api/v2/users/destroy_many", this::destroyManyUsers);
        route("GET", "/api/v2/users/show_many", this::showManyUsers);
        route("GET", "/api/v2/users/search", this::searchUsers);
        route("GET", "/api/v2/users/{user_id}", this::showUser);
        route("PUT", "/api/v2/users/{user_id}", this::updateUser);
        route("DELETE", "/api/v2/users/{user_id}", this::deleteUser);
        route("POST", "/api/v2/organizations/create_or_update", this::createOrUpdateOrganization);
        route("POST", "/api/v2/organizations/create_many", this::createManyOrganizations);
        route("PUT", "/api/v2/organizations/update_many", this::updateManyOrganizations);
        route("GET", "/api/v2/organizations/show_many", this::showManyOrganizations);
        route("GET", "/api/v2/organizations/search", this::searchOrganizations);
        route("GET", "/api/v2/organizations/{organization_id}", this::showOrganization);
        route("GET", "/api/v2/job_statuses/show_many", this::showManyJobs);
        route("GET", "/api/v2/job_statuses/{job_status_id}", this::showJob);
        route("GET", "/api/v2/job_statuses", this::listJobs);
    }

    private void route(final String method, final String path, final RequestHandler handler) {
        final RequestHandler guarded = request -> {
            synchronized (this) {
                authenticate(request);
                settle();
                return handler.handle(request);
            }
        };
        server.route(method, path, guarded);
        server.route(method, path + ".json", guarded);
    }

    private void authenticate(final EmulatorRequest request) {
        final String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                final String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                if (basicCredentials.contains(decoded)) {
                    return;
                }
            } catch (final IllegalArgumentException invalidBase64) {
                throw ZendeskErrors.unauthorized();
            }
        }
        final String bearer = request.bearerToken();
        if (bearer != null && bearerTokens.contains(bearer)) {
            return;
        }
        throw ZendeskErrors.unauthorized();
    }

    private EmulatorResponse me(final EmulatorRequest request) {
        final String authorization = request.header("Authorization");
        String email = "oauth-user@emulated.zendesk.com";
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            final String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            email = decoded.substring(0, decoded.indexOf("/token:"));
        }
        return ok(Json.object("user", Json.object("id", 1, "name", "API user", "email", email, "role", "admin", "active", true,
                "authenticity_token", "emulated")));
    }

    // ---------------------------------------------------------------- users

    private EmulatorResponse bulkUsers(final EmulatorRequest request, final String jobType, final ItemProcessor processor) {
        if (!bulkImportEnabled) {
            throw ZendeskErrors.bulkImportDisabled();
        }
        final ArrayNode items = itemsOf(request.json(), "users");
        final List<JsonNode> copies = copies(items);
        return enqueue(jobType, copies.size(), index -> processor.process(index, copies.get(index)));
    }

    private EmulatorResponse createOrUpdateUser(final EmulatorRequest request) {
        final JsonNode user = request.json().get("user");
        if (user == null || !user.isObject()) {
            throw ZendeskErrors.badRequest("InvalidValue", "user: is required");
        }
        final ZendeskItemResult result = directory.createOrUpdateUser(0, user);
        final ObjectNode node = result.node();
        if ("Failed".equals(node.path("status").asText())) {
            throw ZendeskErrors.recordInvalid(node.path("error").asText(), node.path("details").asText());
        }
        final ObjectNode stored = directory.user(node.get("id").asLong());
        return EmulatorResponse.json("Created".equals(node.path("status").asText()) ? 201 : 200, Json.object("user", stored));
    }

    private EmulatorResponse updateManyUsers(final EmulatorRequest request) {
        final JsonNode body = request.json();
        final List<String> ids = csv(request.query("ids"));
        final List<String> externalIds = csv(request.query("external_ids"));
        if (!ids.isEmpty() || !externalIds.isEmpty()) {
            final JsonNode changes = body.get("user");
            if (changes == null || !changes.isObject()) {
                throw ZendeskErrors.badRequest("InvalidValue", "user: is required with ids or external_ids");
            }
            final JsonNode copy = changes.deepCopy();
            final boolean byId = !ids.isEmpty();
            final List<String> keys = byId ? ids : externalIds;
            checkBatchSize(keys.size());
            return enqueue("bulk_update_users", keys.size(), index -> directory.updateUser(index, byId ? parseId(keys.get(index)) : null,
                    byId ? null : keys.get(index), copy));
        }
        final List<JsonNode> users = copies(itemsOf(body, "users"));
        return enqueue("bulk_update_users", users.size(), index -> {
            final JsonNode item = users.get(index);
            final Long id = item.hasNonNull("id") ? item.get("id").asLong() : null;
            if (id == null) {
                return ZendeskItemResult.actionFailed(index, "update", null, "InvalidValue", "Id: is required in a batch update");
            }
            final ObjectNode changes = ((ObjectNode) item).deepCopy();
            changes.remove("id");
            return directory.updateUser(index, id, null, changes);
        });
    }

    private EmulatorResponse destroyManyUsers(final EmulatorRequest request) {
        final List<String> ids = csv(request.query("ids"));
        final List<String> externalIds = csv(request.query("external_ids"));
        if (ids.isEmpty() == externalIds.isEmpty()) {
            throw ZendeskErrors.badRequest("InvalidValue", "Exactly one of ids or external_ids is required");
        }
        final boolean byId = !ids.isEmpty();
        final List<String> keys = byId ? ids : externalIds;
        checkBatchSize(keys.size());
        return enqueue("bulk_delete_users", keys.size(), index -> directory.destroyUser(index, byId ? parseId(keys.get(index)) : null,
                byId ? null : keys.get(index)));
    }

    private EmulatorResponse showManyUsers(final EmulatorRequest request) {
        final ArrayNode found = Json.MAPPER.createArrayNode();
        final List<String> ids = csv(request.query("ids"));
        final List<String> externalIds = csv(request.query("external_ids"));
        checkBatchSize(Math.max(ids.size(), externalIds.size()));
        for (final String id : ids) {
            addIfPresent(found, directory.user(parseId(id)));
        }
        for (final String externalId : externalIds) {
            addIfPresent(found, directory.userByExternalId(externalId));
        }
        return ok(Json.object("users", found, "count", found.size(), "next_page", null, "previous_page", null));
    }

    private EmulatorResponse searchUsers(final EmulatorRequest request) {
        final ArrayNode found = Json.MAPPER.createArrayNode();
        final String externalId = request.query("external_id");
        final String query = request.query("query");
        if (externalId != null) {
            addIfPresent(found, directory.userByExternalId(externalId));
        } else if (query != null) {
            final String trimmed = query.trim();
            if (trimmed.startsWith("email:")) {
                addIfPresent(found, directory.userByEmail(trimmed.substring(6).replace("\"", "").trim()));
            } else {
                for (final ObjectNode user : directory.users()) {
                    if (user.toString().toLowerCase().contains(trimmed.toLowerCase())) {
                        found.add(user);
                    }
                }
            }
        } else {
            throw ZendeskErrors.badRequest("InvalidValue", "query or external_id is required");
        }
        return ok(Json.object("users", found, "count", found.size(), "next_page", null, "previous_page", null));
    }

    private EmulatorResponse showUser(final EmulatorRequest request) {
        final ObjectNode user = directory.user(parseId(request.pathVariable("user_id")));
        if (user == null) {
            throw ZendeskErrors.notFound();
        }
        return ok(Json.object("user", user));
    }

    private EmulatorResponse updateUser(final EmulatorRequest request) {
        final long id = parseId(request.pathVariable("user_id"));
        if (directory.user(id) == null) {
            throw ZendeskErrors.notFound();
        }
        final JsonNode changes = request.json().get("user");
        if (changes == null || !changes.isObject()) {
            throw ZendeskErrors.badRequest("InvalidValue", "user: is required");
        }
        final ObjectNode node = directory.updateUser(0, id, null, changes).node();
        if (!node.path("success").asBoolean()) {
            throw ZendeskErrors.recordInvalid(node.path("error").asText(), node.path("details").asText());
        }
        return ok(Json.object("user", directory.user(id)));
    }

    private EmulatorResponse deleteUser(final EmulatorRequest request) {
        final long id = parseId(request.pathVariable("user_id"));
        final ObjectNode user = directory.user(id);
        if (user == null) {
            throw ZendeskErrors.notFound();
        }
        final ObjectNode deleted = user.deepCopy();
        deleted.put("active", false);
        directory.deleteUser(id);
        return ok(Json.object("user", deleted));
    }

    // ---------------------------------------------------------------- organizations

    private EmulatorResponse createOrUpdateOrganization(final EmulatorRequest request) {
        final JsonNode organization = request.json().get("organization");
        if (organization == null || !organization.isObject()) {
            throw ZendeskErrors.badRequest("InvalidValue", "organization: is required");
        }
        final ZendeskDirectory.OrganizationWrite write = directory.createOrUpdateOrganization(organization);
        if (write.failure() != null) {
            throw ZendeskErrors.recordInvalid(write.failure().error(), write.failure().details());
        }
        return EmulatorResponse.json(write.created() ? 201 : 200, Json.object("organization", write.organization()));
    }

    private EmulatorResponse createManyOrganizations(final EmulatorRequest request) {
        final List<JsonNode> items = copies(itemsOf(request.json(), "organizations"));
        return enqueue("bulk_create_organizations", items.size(), index -> directory.createOrganization(index, items.get(index)));
    }

    private EmulatorResponse updateManyOrganizations(final EmulatorRequest request) {
        final JsonNode body = request.json();
        final List<String> ids = csv(request.query("ids"));
        final List<String> externalIds = csv(request.query("external_ids"));
        if (!ids.isEmpty() || !externalIds.isEmpty()) {
            final JsonNode changes = body.get("organization");
            if (changes == null || !changes.isObject()) {
                throw ZendeskErrors.badRequest("InvalidValue", "organization: is required with ids or external_ids");
            }
            final JsonNode copy = changes.deepCopy();
            final boolean byId = !ids.isEmpty();
            final List<String> keys = byId ? ids : externalIds;
            checkBatchSize(keys.size());
            return enqueue("bulk_update_organizations", keys.size(), index -> directory.updateOrganization(index, byId ? parseId(keys.get(index)) : null,
                    byId ? null : keys.get(index), copy));
        }
        final List<JsonNode> items = copies(itemsOf(body, "organizations"));
        return enqueue("bulk_update_organizations", items.size(), index -> {
            final JsonNode item = items.get(index);
            if (!item.hasNonNull("id")) {
                return ZendeskItemResult.actionFailed(index, "update", null, "InvalidValue", "Id: is required in a batch update");
            }
            final ObjectNode changes = ((ObjectNode) item).deepCopy();
            changes.remove("id");
            return directory.updateOrganization(index, item.get("id").asLong(), null, changes);
        });
    }

    private EmulatorResponse showManyOrganizations(final EmulatorRequest request) {
        final ArrayNode found = Json.MAPPER.createArrayNode();
        final List<String> ids = csv(request.query("ids"));
        final List<String> externalIds = csv(request.query("external_ids"));
        checkBatchSize(Math.max(ids.size(), externalIds.size()));
        for (final String id : ids) {
            addIfPresent(found, directory.organization(parseId(id)));
        }
        for (final String externalId : externalIds) {
            addIfPresent(found, directory.organizationByExternalId(externalId));
        }
        return ok(Json.object("organizations", found, "count", found.size(), "next_page", null, "previous_page", null));
    }

    private EmulatorResponse searchOrganizations(final EmulatorRequest request) {
        final ArrayNode found = Json.MAPPER.createArrayNode();
        if (request.query("external_id") != null) {
            addIfPresent(found, directory.organizationByExternalId(request.query("external_id")));
        } else if (request.query("name") != null) {
            addIfPresent(found, directory.organizationByName(request.query("name")));
        } else {
            throw ZendeskErrors.badRequest("InvalidValue", "external_id or name is required");
        }
        return ok(Json.object("organizations", found, "count", found.size(), "next_page", null, "previous_page", null));
    }

    private EmulatorResponse showOrganization(final EmulatorRequest request) {
        final ObjectNode organization = directory.organization(parseId(request.pathVariable("organization_id")));
        if (organization == null) {
            throw ZendeskErrors.notFound();
        }
        return ok(Json.object("organization", organization));
    }

    // ---------------------------------------------------------------- jobs

    private EmulatorResponse enqueue(final String jobType, final int total, final IntFunction<ZendeskItemResult> processItem) {
        checkBatchSize(total);
        final long now = server.now();
        final List<ZendeskJob> active = jobs.values().stream().filter(ZendeskJob::active).toList();
        if (active.size() >= jobLimit) {
            final long nextFinish = active.stream().filter(job -> job.finishesBy(Long.MAX_VALUE)).mapToLong(ZendeskJob::finishAtMillis).min().orElse(now + 60_000);
            throw ZendeskErrors.tooManyJobs(jobLimit, Math.max(1, (nextFinish - now + 999) / 1000));
        }
        final JobFate fate = scheduledFates.isEmpty() ? defaultFate : scheduledFates.removeFirst();
        final long duration = jobMinMillis + (jobMaxMillis > jobMinMillis ? (long) (random.nextDouble() * (jobMaxMillis - jobMinMillis)) : 0);
        final String id = String.format("%016x%016x", ++jobSequence, random.nextLong());
        final ZendeskJob job = new ZendeskJob(id, jobType, total, now, duration, fate, processItem);
        jobs.put(id, job);
        jobsCreated++;
        maxActiveJobsSeen = Math.max(maxActiveJobsSeen, active.size() + 1);
        return ok(Json.object("job_status", job.toJson(baseUrl(), now)));
    }

    private EmulatorResponse showJob(final EmulatorRequest request) {
        final ZendeskJob job = jobs.get(stripJson(request.pathVariable("job_status_id")));
        if (job == null) {
            throw ZendeskErrors.notFound();
        }
        return ok(Json.object("job_status", job.toJson(baseUrl(), server.now())));
    }

    private EmulatorResponse showManyJobs(final EmulatorRequest request) {
        final List<String> ids = csv(request.query("ids"));
        if (ids.isEmpty()) {
            throw ZendeskErrors.badRequest("InvalidValue", "ids: is required");
        }
        final ArrayNode found = Json.MAPPER.createArrayNode();
        for (final String id : ids) {
            final ZendeskJob job = jobs.get(id);
            if (job != null) {
                found.add(job.toJson(baseUrl(), server.now()));
            }
        }
        return ok(Json.object("job_statuses", found));
    }

    private EmulatorResponse listJobs(final EmulatorRequest request) {
        final ArrayNode all = Json.MAPPER.createArrayNode();
        final List<ZendeskJob> recent = new ArrayList<>(jobs.values());
        for (int i = recent.size() - 1; i >= 0 && all.size() < 100; i--) {
            all.add(recent.get(i).toJson(baseUrl(), server.now()));
        }
        return ok(Json.object("job_statuses", all));
    }

    /**
     * Finishes every job whose time has come (in order of their end times, so later jobs see earlier jobs' changes) and
     * forgets expired jobs.
     */
    private void settle() {
        final long now = server.now();
        final List<ZendeskJob> ordered = new ArrayList<>(jobs.values());
        ordered.sort(Comparator.comparingLong(ZendeskJob::finishAtMillis));
        for (final ZendeskJob job : ordered) {
            job.advance(now);
        }
        final Iterator<ZendeskJob> iterator = jobs.values().iterator();
        while (iterator.hasNext()) {
            final ZendeskJob job = iterator.next();
            final long since = job.active() ? job.createdAtMillis() : job.finishedAtMillis();
            if (now - since >= jobRetentionMillis) {
                iterator.remove();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ArrayNode itemsOf(final JsonNode body, final String field) {
        final JsonNode items = body.get(field);
        if (items == null || !items.isArray()) {
            throw ZendeskErrors.badRequest("InvalidValue", field + ": must be an array");
        }
        if (items.isEmpty()) {
            throw ZendeskErrors.badRequest("InvalidValue", field + ": cannot be empty");
        }
        checkBatchSize(items.size());
        return (ArrayNode) items;
    }

    private static void checkBatchSize(final int size) {
        if (size > MAX_BATCH) {
            throw ZendeskErrors.badRequest("TooManyValues", "Too many values: " + size + " (the maximum is " + MAX_BATCH + ")");
        }
    }

    private static List<JsonNode> copies(final ArrayNode items) {
        final List<JsonNode> copies = new ArrayList<>();
        for (final JsonNode item : items) {
            copies.add(item.deepCopy());
        }
        return copies;
    }

    private static List<String> csv(final String value) {
        final List<String> values = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return values;
        }
        for (final String part : value.split(",")) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return values;
    }

    private static long parseId(final String value) {
        try {
            return Long.parseLong(stripJson(value));
        } catch (final NumberFormatException e) {
            throw ZendeskErrors.notFound();
        }
    }

    private static String stripJson(final String value) {
        return value != null && value.endsWith(".json") ? value.substring(0, value.length() - 5) : value;
    }

    private static void addIfPresent(final ArrayNode array, final ObjectNode node) {
        if (node != null) {
            array.add(node);
        }
    }

    private static EmulatorResponse ok(final JsonNode body) {
        return EmulatorResponse.json(200, body);
    }

    @FunctionalInterface
    private interface ItemProcessor {
        ZendeskItemResult process(int index, JsonNode item);
    }
}
