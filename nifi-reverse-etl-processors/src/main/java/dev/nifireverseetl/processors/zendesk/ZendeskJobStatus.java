package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Zendesk {@code job_status}: {@code queued | working | completed | failed} (plus {@code killed}), with
 * {@code results[]} in request order once completed.
 *
 * @param id      the job id
 * @param status  the job's status as Zendesk wrote it
 * @param message the worker's message, or null
 * @param results the result items (empty until completed)
 */
public record ZendeskJobStatus(String id, String status, String message, List<JsonNode> results) {

    public ZendeskJobStatus {
        results = List.copyOf(results);
    }

    /**
     * @param body a response body holding {@code {"job_status":{…}}}
     * @throws IOException when the body is not JSON or holds no job status
     */
    public static ZendeskJobStatus parse(final byte[] body) throws IOException {
        final JsonNode root = ZendeskPayloads.MAPPER.readTree(body);
        return of(root == null ? null : root.get("job_status"));
    }

    /**
     * @param body a response body holding {@code {"job_statuses":[{…}, …]}} ({@code job_statuses/show_many})
     * @throws IOException when the body is not JSON, holds no job_statuses array, or one of them is not a job status
     */
    public static List<ZendeskJobStatus> parseMany(final byte[] body) throws IOException {
        final JsonNode root = ZendeskPayloads.MAPPER.readTree(body);
        final JsonNode jobs = root == null ? null : root.get("job_statuses");
        if (jobs == null || !jobs.isArray()) {
            throw new IOException("The response holds no job_statuses");
        }
        final List<ZendeskJobStatus> statuses = new ArrayList<>();
        for (final JsonNode job : jobs) {
            statuses.add(of(job));
        }
        return statuses;
    }

    private static ZendeskJobStatus of(final JsonNode job) throws IOException {
        if (job == null || !job.isObject() || !job.hasNonNull("id")) {
            throw new IOException("The response holds no job_status");
        }
        final List<JsonNode> results = new ArrayList<>();
        final JsonNode items = job.get("results");
        if (items != null && items.isArray()) {
            items.forEach(results::add);
        }
        return new ZendeskJobStatus(job.get("id").asText(), job.path("status").asText(""), job.hasNonNull("message") ? job.get("message").asText() : null, results);
    }

    public boolean completed() {
        return "completed".equals(status);
    }

    /**
     * @return true when the job ended without results: {@code failed} or {@code killed}
     */
    public boolean died() {
        return "failed".equals(status) || "killed".equals(status);
    }

    /**
     * @return true while the job is {@code queued} or {@code working} (or any status Zendesk may add before the end)
     */
    public boolean running() {
        return !completed() && !died();
    }
}
