package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorException;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.Locale;

/**
 * Zendesk's synchronous error bodies (reference §3.3): {@code {"error":…,"description":…,"details":{…}}}.
 */
final class ZendeskErrors {

    private ZendeskErrors() {
    }

    static EmulatorException unauthorized() {
        return new EmulatorException(EmulatorResponse.json(401, Json.object("error", "Couldn't authenticate you")));
    }

    static EmulatorException bulkImportDisabled() {
        return new EmulatorException(EmulatorResponse.json(403, Json.object("error", "Forbidden", "description",
                "You do not have access to this page. Please contact the account owner of this help desk for further help.")));
    }

    static EmulatorException notFound() {
        return new EmulatorException(EmulatorResponse.json(404, Json.object("error", "RecordNotFound", "description", "Not found")));
    }

    static EmulatorException badRequest(final String error, final String description) {
        return new EmulatorException(EmulatorResponse.json(400, Json.object("error", error, "description", description)));
    }

    static EmulatorException tooManyJobs(final int limit, final long retryAfterSeconds) {
        return new EmulatorException(EmulatorResponse.json(429, Json.object("error", "TooManyJobs", "description",
                "Number of allowed queued or running jobs (" + limit + ") exceeded. Try again later.")).withHeader("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /**
     * 422 RecordInvalid with {@code details.<field>[{description, error}]}; the field is taken from the
     * {@code "Field: …"} prefix of the description, as Zendesk words its validation messages.
     */
    static EmulatorException recordInvalid(final String error, final String description) {
        final int colon = description.indexOf(':');
        final String label = colon > 0 ? description.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "base";
        final String field = "external".equals(label) ? "external_id" : label.replace(' ', '_');
        final ObjectNode details = Json.object(field, Json.MAPPER.createArrayNode().add(Json.object("description", description, "error", error)));
        return new EmulatorException(EmulatorResponse.json(422, Json.object("error", "RecordInvalid", "description", "Record validation errors", "details", details)));
    }
}
