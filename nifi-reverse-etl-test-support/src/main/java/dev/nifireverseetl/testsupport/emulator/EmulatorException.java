package dev.nifireverseetl.testsupport.emulator;

/**
 * Thrown by a handler to answer with an error response (for example a validation error in the destination's format).
 */
public class EmulatorException extends RuntimeException {

    private final EmulatorResponse response;

    public EmulatorException(final EmulatorResponse response) {
        super("HTTP " + response.status());
        this.response = response;
    }

    public EmulatorResponse response() {
        return response;
    }
}
