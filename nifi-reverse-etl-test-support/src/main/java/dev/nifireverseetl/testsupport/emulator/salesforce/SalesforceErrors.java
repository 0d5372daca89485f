package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorException;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

/**
 * Request-level errors as the Salesforce REST API sends them: a JSON array of {@code {message, errorCode}}.
 */
final class SalesforceErrors {

    private SalesforceErrors() {
    }

    static EmulatorResponse response(final int status, final String errorCode, final String message) {
        final ArrayNode body = Json.MAPPER.createArrayNode();
        body.addObject().put("message", message).put("errorCode", errorCode);
        return EmulatorResponse.json(status, body);
    }

    static EmulatorException exception(final int status, final String errorCode, final String message) {
        return new EmulatorException(response(status, errorCode, message));
    }

    static EmulatorResponse invalidSession() {
        return response(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    static EmulatorResponse notFound() {
        return response(404, "NOT_FOUND", "The requested resource does not exist");
    }
}
