package dev.nifireverseetl.testsupport.emulator;

/**
 * A fault an emulator injects in place of (or after) the normal handling of a request.
 */
public enum Fault {
    /** 500 with a JSON error body; the request is not processed. */
    INTERNAL_SERVER_ERROR(true),
    /** 503 with a short body; the request is not processed. */
    SERVICE_UNAVAILABLE(true),
    /** 502 with an HTML body, as a load balancer would answer; the request is not processed. */
    BAD_GATEWAY(true),
    /** The server never answers (the client's read timeout must fire); the request is not processed. */
    TIMEOUT(true),
    /** The connection is closed before any response; the request is not processed. */
    CONNECTION_RESET(true),
    /** 200 with a body that is not valid JSON; the request is not processed. */
    MALFORMED_BODY(true),
    /** The request IS processed (the destination's state changes), then the connection is closed before the response. */
    RESET_AFTER_PROCESSING(false),
    /** The request IS processed, then the response body is cut short (invalid JSON). */
    TRUNCATED_AFTER_PROCESSING(false);

    private final boolean beforeProcessing;

    Fault(final boolean beforeProcessing) {
        this.beforeProcessing = beforeProcessing;
    }

    /**
     * @return true when the destination does not process the request (its state is unchanged)
     */
    public boolean beforeProcessing() {
        return beforeProcessing;
    }
}
