package dev.nifireverseetl.state;

/**
 * The destination rejected this version of a row (permanently, or it is still being retried).
 *
 * @param key      canonical row key
 * @param version  the version hash that was sent
 * @param reason   the destination's error code and message (never raw PII)
 */
public record Failure(String key, String version, String reason) {

    public Failure {
        if (key == null) {
            throw new IllegalArgumentException("A failure needs a key");
        }
    }
}
