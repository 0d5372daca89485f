package dev.nifireverseetl.processors.zendesk;

import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;

import java.util.List;

/**
 * One bulk request that answers with a job, and the items it carries in request order.
 *
 * @param request        the request
 * @param items          the items, in the order of the request's array (or of its ids / external_ids list)
 * @param kind           how the job's results are read
 * @param bulkUserImport true when a 403 means "bulk user import disabled"
 */
record ZendeskWriteStep(HttpRequestSpec request, List<WriteItem> items, Kind kind, boolean bulkUserImport) {

    ZendeskWriteStep {
        items = List.copyOf(items);
    }

    /**
     * How results of the step map to outcomes.
     */
    enum Kind {
        /** create_or_update_many: Created / Updated / Failed. */
        UPSERT,
        /** create_many: {id, index} or Failed. */
        CREATE,
        /** create_many of organizations that a lookup did not find, within an upsert: a duplicate external_id is a race, retried. */
        CREATE_WITHIN_UPSERT,
        /** update_many: {action, id, status Updated, success}. */
        UPDATE,
        /** destroy_many or suspension: a record that is already gone counts as removed. */
        REMOVE
    }
}
