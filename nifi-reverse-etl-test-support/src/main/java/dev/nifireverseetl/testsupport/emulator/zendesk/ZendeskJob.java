package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One background job: its items are processed when the job's time comes (queued for the first third of its duration,
 * working for the rest), by the function given at creation. Not thread-safe: {@link ZendeskEmulator} serialises access.
 */
final class ZendeskJob {

    private static final DateTimeFormatter MESSAGE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'").withZone(ZoneOffset.UTC);

    private final String id;
    private final String jobType;
    private final int total;
    private final long createdAtMillis;
    private final long workingAtMillis;
    private final long finishAtMillis;
    private final JobFate fate;
    private final IntFunction<ZendeskItemResult> processItem;
    private final List<ZendeskItemResult> results = new ArrayList<>();
    private long finishedAtMillis = -1;
    private String status = "queued";

    ZendeskJob(final String id, final String jobType, final int total, final long createdAtMillis, final long durationMillis, final JobFate fate,
               final IntFunction<ZendeskItemResult> processItem) {
        this.id = id;
        this.jobType = jobType;
        this.total = total;
        this.createdAtMillis = createdAtMillis;
        this.workingAtMillis = createdAtMillis + durationMillis / 3;
        this.finishAtMillis = createdAtMillis + durationMillis;
        this.fate = fate;
        this.processItem = processItem;
    }

    String id() {
        return id;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }

    long finishAtMillis() {
        return finishAtMillis;
    }

    long finishedAtMillis() {
        return finishedAtMillis;
    }

    /**
     * @return true while the job is queued or working (it counts toward the job limit)
     */
    boolean active() {
        return "queued".equals(status) || "working".equals(status);
    }

    boolean finishesBy(final long nowMillis) {
        return active() && fate != JobFate.NEVER_COMPLETE && finishAtMillis <= nowMillis;
    }

    /**
     * Moves the job along its timeline; processes its items when it finishes.
     */
    void advance(final long nowMillis) {
        if (!active()) {
            return;
        }
        if (nowMillis >= workingAtMillis) {
            status = "working";
        }
        if (fate == JobFate.NEVER_COMPLETE || nowMillis < finishAtMillis) {
            return;
        }
        final int processed = fate == JobFate.DIE ? (total + 1) / 2 : total;
        for (int index = 0; index < processed; index++) {
            results.add(processItem.apply(index));
        }
        status = fate == JobFate.DIE ? "failed" : "completed";
        finishedAtMillis = nowMillis;
    }

    ObjectNode toJson(final String baseUrl, final long nowMillis) {
        final ObjectNode node = Json.object("id", id, "url", baseUrl + "/api/v2/job_statuses/" + id + ".json", "job_type", jobType, "status", status,
                "total", total);
        switch (status) {
            case "queued" -> {
                node.put("progress", 0);
                node.putNull("message");
                node.putNull("results");
            }
            case "working" -> {
                final long span = Math.max(1, finishAtMillis - workingAtMillis);
                final long elapsed = Math.max(0, nowMillis - workingAtMillis);
                node.put("progress", fate == JobFate.NEVER_COMPLETE ? total / 2 : (int) Math.min(total - 1L, total * elapsed / span));
                node.putNull("message");
                node.putNull("results");
            }
            case "completed" -> {
                node.put("progress", total);
                node.put("message", "Completed at " + MESSAGE_TIME.format(Instant.ofEpochMilli(finishedAtMillis)));
                final ArrayNode items = node.putArray("results");
                for (final ZendeskItemResult result : results) {
                    items.add(result.node());
                }
            }
            default -> {
                node.put("progress", results.size());
                node.put("message", "Failed at " + MESSAGE_TIME.format(Instant.ofEpochMilli(finishedAtMillis)) + ": the background worker died");
                node.putNull("results");
            }
        }
        return node;
    }
}
