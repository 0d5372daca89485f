package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.AsyncContinuation;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one batch to Zendesk: optional lookups of Zendesk ids (organizations, update-only users, and every removal by
 * email: a known id is not trusted, only the id of the user who has the email is removed), then one or two bulk requests, each answered by a job that is polled until it ends. Every item
 * ends with an outcome: the job's per-item result; or, when a job dies ({@code failed}/{@code killed}), expires (404)
 * or outlives the job timeout, a retryable outcome; never a silent success.
 * <p>
 * The first step is deterministic for a batch, so the adapter builds the first request and interprets its response
 * with two fresh instances; the engine then drives the instance returned in {@link BatchResult.Pending}.
 */
final class ZendeskExchange implements AsyncContinuation {

    private static final String API = "/api/v2/";
    /** Looking at the board this long after a poll was due leaves the poll time to bring its answer. */
    private static final long POLL_RESPONSE_ALLOWANCE_MILLIS = 50;

    private final ZendeskSettings settings;
    private final WriteOperation operation;
    private final List<WriteItem> items;
    private final Deque<Lookup> lookups = new ArrayDeque<>();
    private final Map<String, Long> resolvedIds = new HashMap<>();
    private final Map<String, ItemOutcome> outcomes = new HashMap<>();
    private Deque<ZendeskWriteStep> steps;
    private ZendeskWriteStep current;
    private Phase phase;
    private String jobId;
    private long submittedAt;
    private int polls;
    private long delayMillis;
    private List<String> polledIds = List.of();

    ZendeskExchange(final ZendeskSettings settings, final WriteBatch batch) {
        this.settings = settings;
        this.operation = batch.operation();
        this.items = batch.items();
        planLookups();
        if (lookups.isEmpty()) {
            buildSteps();
            current = steps.removeFirst();
            phase = Phase.SUBMIT;
        } else {
            phase = Phase.LOOKUP;
        }
    }

    @Override
    public long delayMillis() {
        return delayMillis;
    }

    @Override
    public HttpRequestSpec nextRequest() {
        return switch (phase) {
            case LOOKUP -> lookups.getFirst().request();
            case SUBMIT -> current.request();
            case POLL -> {
                polledIds = settings.jobBoard().idsToPoll(jobId);
                yield HttpRequestSpec.get(API + "job_statuses/show_many?ids=" + encodeList(polledIds));
            }
        };
    }

    /**
     * While polling: the job's end when another batch's poll saw it; a wait for the next shared poll when one was sent a
     * moment ago; the job timeout; or null, and this batch sends the next poll for every tracked job.
     */
    @Override
    public BatchResult resultWithoutRequest() {
        if (phase != Phase.POLL) {
            return null;
        }
        final long now = System.currentTimeMillis();
        final ZendeskJobBoard board = settings.jobBoard();
        final ZendeskJobStatus seen = board.takeFinished(jobId);
        if (seen != null) {
            return onJob(seen, now);
        }
        if (board.takeMissing(jobId)) {
            return jobExpired();
        }
        if (now - submittedAt >= settings.jobTimeoutMillis()) {
            return jobTimedOut();
        }
        final long untilNextPoll = board.claimPoll(now);
        if (untilNextPoll == 0) {
            return null;
        }
        // the poll that covers this job is a moment old or on its way: look at the board again after the next one
        delayMillis = untilNextPoll + POLL_RESPONSE_ALLOWANCE_MILLIS;
        return BatchResult.pending(this);
    }

    @Override
    public BatchResult onResponse(final HttpResponseData response) {
        return switch (phase) {
            case LOOKUP -> onLookup(response);
            case SUBMIT -> onSubmitted(response);
            case POLL -> onPoll(response);
        };
    }

    // ---------------------------------------------------------------- lookups

    private void planLookups() {
        final boolean users = settings.users();
        if (!users && (operation == WriteOperation.UPSERT || operation == WriteOperation.UPDATE)) {
            addShowManyLookup("organizations", operation == WriteOperation.UPSERT ? items : withoutIds());
        } else if (users && operation == WriteOperation.UPDATE && settings.matchField() == UserMatchField.EXTERNAL_ID) {
            addShowManyLookup("users", withoutIds());
        } else if (users && (operation == WriteOperation.UPDATE || operation == WriteOperation.REMOVE) && settings.matchField() == UserMatchField.EMAIL) {
            // a removal looks every email up, also with a known id: the id may be stale (the user was deleted and
            // recreated, or merged), and destroying or suspending it would leave the user with the email live
            for (final WriteItem item : operation == WriteOperation.REMOVE ? items : withoutIds()) {
                lookups.addLast(new Lookup(HttpRequestSpec.get(API + "users/search?query=" + encode("email:" + item.matchKey())), List.of(item), true));
            }
        }
    }

    private List<WriteItem> withoutIds() {
        final List<WriteItem> missing = new ArrayList<>();
        for (final WriteItem item : items) {
            if (parseId(item.destinationId()) == null) {
                missing.add(item);
            }
        }
        return missing;
    }

    private void addShowManyLookup(final String type, final List<WriteItem> keys) {
        if (keys.isEmpty()) {
            return;
        }
        final List<String> externalIds = new ArrayList<>();
        for (final WriteItem item : keys) {
            externalIds.add(item.matchKey());
        }
        lookups.addLast(new Lookup(HttpRequestSpec.get(API + type + "/show_many?external_ids=" + encodeList(externalIds)), keys, false));
    }

    private BatchResult onLookup(final HttpResponseData response) {
        if (!response.isSuccessful()) {
            return BatchResult.failed(ZendeskFailures.classify(response, false));
        }
        final Lookup lookup = lookups.getFirst();
        final JsonNode body = readJson(response.body());
        final JsonNode found = body.path(settings.users() ? "users" : "organizations");
        final String keyField = lookup.byEmail() ? "email" : "external_id";
        final Map<String, Long> idByKey = new HashMap<>();
        for (final JsonNode record : found) {
            if (record.hasNonNull(keyField) && record.hasNonNull("id")) {
                idByKey.putIfAbsent(record.get(keyField).asText().toLowerCase(Locale.ROOT), record.get("id").asLong());
            }
        }
        for (final WriteItem item : lookup.items()) {
            final Long id = idByKey.get(item.matchKey().toLowerCase(Locale.ROOT));
            if (id != null) {
                resolvedIds.put(item.itemId(), id);
            }
        }
        lookups.removeFirst();
        delayMillis = 0;
        if (!lookups.isEmpty()) {
            return BatchResult.pending(this);
        }
        buildSteps();
        return nextStepOrDone();
    }

    // ---------------------------------------------------------------- writes

    private Long idOf(final WriteItem item) {
        final Long resolved = resolvedIds.get(item.itemId());
        if (resolved != null) {
            return resolved;
        }
        return operation == WriteOperation.UPSERT && !settings.users() ? null : parseId(item.destinationId());
    }

    private void buildSteps() {
        steps = new ArrayDeque<>();
        if (settings.users()) {
            buildUserSteps();
        } else {
            buildOrganizationSteps();
        }
    }

    private void buildUserSteps() {
        final String matchField = settings.matchField().getValue();
        switch (operation) {
            case UPSERT, CREATE -> {
                final ArrayNode users = ZendeskPayloads.MAPPER.createArrayNode();
                for (final WriteItem item : items) {
                    users.add(ZendeskPayloads.user(matchField, item.matchKey(), null, item.fields()));
                }
                final boolean upsert = operation == WriteOperation.UPSERT;
                steps.add(new ZendeskWriteStep(post(upsert ? "users/create_or_update_many" : "users/create_many", "users", users), items,
                        upsert ? ZendeskWriteStep.Kind.UPSERT : ZendeskWriteStep.Kind.CREATE, true));
            }
            case UPDATE -> addBatchUpdate("users", "users", ZendeskWriteStep.Kind.UPDATE);
            case REMOVE -> addUserRemoval();
        }
    }

    private void addUserRemoval() {
        final boolean byExternalId = settings.matchField() == UserMatchField.EXTERNAL_ID;
        final List<WriteItem> targets = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        for (final WriteItem item : items) {
            final Long id = byExternalId ? null : resolvedIds.get(item.itemId());
            if (byExternalId) {
                targets.add(item);
                keys.add(item.matchKey());
            } else if (id != null) {
                targets.add(item);
                keys.add(String.valueOf(id));
            } else {
                outcomes.put(item.itemId(), ItemOutcome.succeeded(item.itemId(), null, false));
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        final String query = (byExternalId ? "external_ids=" : "ids=") + encodeList(keys);
        final HttpRequestSpec request = settings.removalAction() == UserRemovalAction.DELETE
                ? new HttpRequestSpec("DELETE", API + "users/destroy_many?" + query, Map.of("Accept", "application/json"), null, null)
                : HttpRequestSpec.json("PUT", API + "users/update_many?" + query, "{\"user\":{\"suspended\":true}}");
        steps.add(new ZendeskWriteStep(request, targets, ZendeskWriteStep.Kind.REMOVE, false));
    }

    private void buildOrganizationSteps() {
        if (operation == WriteOperation.CREATE) {
            final ArrayNode organizations = ZendeskPayloads.MAPPER.createArrayNode();
            for (final WriteItem item : items) {
                organizations.add(ZendeskPayloads.organization(item.matchKey(), null, item.fields()));
            }
            steps.add(new ZendeskWriteStep(post("organizations/create_many", "organizations", organizations), items, ZendeskWriteStep.Kind.CREATE, false));
            return;
        }
        if (operation == WriteOperation.UPSERT) {
            final ArrayNode organizations = ZendeskPayloads.MAPPER.createArrayNode();
            final List<WriteItem> created = new ArrayList<>();
            for (final WriteItem item : items) {
                if (idOf(item) == null) {
                    organizations.add(ZendeskPayloads.organization(item.matchKey(), null, item.fields()));
                    created.add(item);
                }
            }
            if (!created.isEmpty()) {
                steps.add(new ZendeskWriteStep(post("organizations/create_many", "organizations", organizations), created,
                        ZendeskWriteStep.Kind.CREATE_WITHIN_UPSERT, false));
            }
        }
        addBatchUpdate("organizations", "organizations", ZendeskWriteStep.Kind.UPDATE);
    }

    /**
     * update_many in its batch form ({@code {"users":[{"id":1,…}]}}) for the items with a Zendesk id; items without
     * one fail (update only) or were queued for creation (organization upsert).
     */
    private void addBatchUpdate(final String path, final String arrayField, final ZendeskWriteStep.Kind kind) {
        final ArrayNode updates = ZendeskPayloads.MAPPER.createArrayNode();
        final List<WriteItem> targets = new ArrayList<>();
        for (final WriteItem item : items) {
            final Long id = idOf(item);
            if (id == null) {
                if (operation == WriteOperation.UPDATE) {
                    outcomes.put(item.itemId(), ItemOutcome.failed(item.itemId(), "RecordNotFound",
                            "No Zendesk " + (settings.users() ? "user" : "organization") + " has this " + (settings.users() ? settings.matchField().getValue() : "external_id")
                                    + " (update only mode does not create records)"));
                }
                continue;
            }
            updates.add(settings.users() ? ZendeskPayloads.user(null, null, id, item.fields()) : ZendeskPayloads.organization(null, id, item.fields()));
            targets.add(item);
        }
        if (!targets.isEmpty()) {
            final ObjectNode body = ZendeskPayloads.MAPPER.createObjectNode();
            body.set(arrayField, updates);
            steps.add(new ZendeskWriteStep(HttpRequestSpec.json("PUT", API + path + "/update_many", body.toString()), targets, kind, false));
        }
    }

    private static HttpRequestSpec post(final String path, final String arrayField, final ArrayNode array) {
        final ObjectNode body = ZendeskPayloads.MAPPER.createObjectNode();
        body.set(arrayField, array);
        return HttpRequestSpec.json("POST", API + path, body.toString());
    }

    private BatchResult nextStepOrDone() {
        delayMillis = 0;
        if (steps.isEmpty()) {
            return BatchResult.completed(outcomes);
        }
        current = steps.removeFirst();
        phase = Phase.SUBMIT;
        return BatchResult.pending(this);
    }

    private BatchResult onSubmitted(final HttpResponseData response) {
        if (!response.isSuccessful()) {
            return BatchResult.failed(ZendeskFailures.classify(response, current.bulkUserImport()));
        }
        final ZendeskJobStatus job = readJob(response.body());
        jobId = job.id();
        submittedAt = response.receivedAt();
        polls = 0;
        phase = Phase.POLL;
        if (!job.running()) {
            return onJob(job, response.receivedAt());
        }
        settings.jobBoard().track(jobId);
        delayMillis = settings.pollSchedule().delayBeforePoll(0);
        return BatchResult.pending(this);
    }

    /**
     * The answer to {@code job_statuses/show_many}: this batch's job and the other tracked jobs of the processor, whose
     * ends are kept on the board for their batches.
     */
    private BatchResult onPoll(final HttpResponseData response) {
        if (response.status() == 404) {
            return jobExpired();
        }
        if (!response.isSuccessful()) {
            return BatchResult.failed(ZendeskFailures.classify(response, false));
        }
        polls++;
        final List<ZendeskJobStatus> statuses = readJobs(response.body());
        settings.jobBoard().saw(polledIds, statuses);
        for (final ZendeskJobStatus status : statuses) {
            if (status.id().equals(jobId)) {
                settings.jobBoard().takeFinished(jobId);
                return onJob(status, response.receivedAt());
            }
        }
        return jobExpired();
    }

    private BatchResult jobTimedOut() {
        settings.jobBoard().forget(jobId);
        retryAll("JOB_TIMEOUT", "Zendesk job " + jobId + " was still running after " + settings.jobTimeoutMillis() / 1000
                + " s; the records are sent again (upserts are idempotent)");
        return nextStepOrDone();
    }

    private BatchResult jobExpired() {
        settings.jobBoard().forget(jobId);
        retryAll("JOB_EXPIRED", "Zendesk no longer knows job " + jobId + " (its status expired before it was read); the records are sent again");
        return nextStepOrDone();
    }

    private BatchResult onJob(final ZendeskJobStatus job, final long now) {
        if (job.running()) {
            if (now - submittedAt >= settings.jobTimeoutMillis()) {
                return jobTimedOut();
            }
            delayMillis = settings.pollSchedule().delayBeforePoll(polls);
            return BatchResult.pending(this);
        }
        settings.pollSchedule().jobFinished(Math.max(1, polls), now - submittedAt);
        if (job.died()) {
            retryAll("JOB_FAILED", "Zendesk job " + jobId + " ended " + job.status() + (job.message() == null ? "" : ": " + job.message()));
        } else {
            ZendeskJobResults.map(current, job.results(), outcomes);
        }
        return nextStepOrDone();
    }

    private void retryAll(final String code, final String message) {
        for (final WriteItem item : current.items()) {
            outcomes.put(item.itemId(), ItemOutcome.retryable(item.itemId(), code, message));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ZendeskJobStatus readJob(final byte[] body) {
        try {
            return ZendeskJobStatus.parse(body);
        } catch (final IOException e) {
            throw new UncheckedIOException("Zendesk answered without a readable job_status", e);
        }
    }

    private static List<ZendeskJobStatus> readJobs(final byte[] body) {
        try {
            return ZendeskJobStatus.parseMany(body);
        } catch (final IOException e) {
            throw new UncheckedIOException("Zendesk answered without readable job_statuses", e);
        }
    }

    private static JsonNode readJson(final byte[] body) {
        try {
            return ZendeskPayloads.MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new UncheckedIOException("Zendesk answered with a body that is not JSON", e);
        }
    }

    private static Long parseId(final String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    private static String encodeList(final List<String> values) {
        final List<String> encoded = new ArrayList<>();
        for (final String value : values) {
            encoded.add(encode(value));
        }
        return String.join(",", encoded);
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private enum Phase {
        LOOKUP,
        SUBMIT,
        POLL
    }

    private record Lookup(HttpRequestSpec request, List<WriteItem> items, boolean byEmail) {
    }
}
