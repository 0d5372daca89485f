package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;

/**
 * The outcome of one item of a bulk job, rendered as Zendesk renders job {@code results[]} entries.
 */
final class ZendeskItemResult {

    private final ObjectNode node;

    private ZendeskItemResult(final ObjectNode node) {
        this.node = node;
    }

    /**
     * create_or_update_many: {@code {"id":…,"status":"Created"|"Updated","email":…,"external_id":…}} (reference §3.3).
     */
    static ZendeskItemResult upserted(final int index, final ObjectNode record, final boolean created) {
        final ObjectNode node = Json.object("id", record.get("id").asLong(), "index", index, "status", created ? "Created" : "Updated");
        copyIfPresent(record, node, "email");
        copyIfPresent(record, node, "external_id");
        return new ZendeskItemResult(node);
    }

    /**
     * create_many: {@code {"id":…,"index":0}} (spec's CreateResourceResult).
     */
    static ZendeskItemResult created(final int index, final ObjectNode record) {
        final ObjectNode node = Json.object("id", record.get("id").asLong(), "index", index, "status", "Created");
        copyIfPresent(record, node, "external_id");
        return new ZendeskItemResult(node);
    }

    /**
     * update_many / destroy_many: {@code {"action":"update","id":244,"status":"Updated","success":true}}.
     */
    static ZendeskItemResult actioned(final int index, final String action, final long id, final String status) {
        return new ZendeskItemResult(Json.object("action", action, "id", id, "index", index, "status", status, "success", true));
    }

    /**
     * A failed item of create_or_update_many / create_many: {@code {"id":2,"status":"Failed","error":…,"details":…}}.
     * As in Zendesk's answers, the {@code id} of a failed item is not a record id (here: the item's index).
     */
    static ZendeskItemResult failed(final int index, final String error, final String details) {
        return new ZendeskItemResult(Json.object("id", index, "index", index, "status", "Failed", "error", error, "details", details));
    }

    /**
     * A failed item of update_many / destroy_many: {@code {"action":"update","id":…,"success":false,"error":…,"details":…}}.
     */
    static ZendeskItemResult actionFailed(final int index, final String action, final Object id, final String error, final String details) {
        return new ZendeskItemResult(Json.object("action", action, "id", id, "index", index, "status", "Failed", "success", false, "error", error,
                "details", details));
    }

    ObjectNode node() {
        return node;
    }

    private static void copyIfPresent(final ObjectNode from, final ObjectNode to, final String field) {
        if (from.hasNonNull(field)) {
            to.set(field, from.get(field));
        }
    }
}
