package dev.nifireverseetl.state;

/**
 * The state store could not be read or written. The message never contains row values or secrets.
 */
public class SyncStateException extends RuntimeException {

    public SyncStateException(final String message) {
        super(message);
    }

    public SyncStateException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
