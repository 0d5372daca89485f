package dev.nifireverseetl.processors.engine;

/**
 * A record value cannot be converted to what the destination takes. The message names the field and the expected
 * form, never the value itself (it may be personal data).
 */
public class InvalidValueException extends Exception {

    public InvalidValueException(final String message) {
        super(message);
    }
}
