package dev.nifireverseetl.processors.engine;

/**
 * A request that failed as a whole.
 *
 * @param kind           how the engine handles it
 * @param code           the destination's error code or category (for example {@code VALIDATION_ERROR}), or the HTTP status
 * @param message        the destination's error message
 * @param retryAtMillis  for {@link FailureKind#RATE_LIMITED} and {@link FailureKind#QUOTA_EXHAUSTED}: the epoch millis
 *                       when the destination will accept requests again (from Retry-After or the window reset), or 0
 *                       when the destination did not say
 */
public record BatchFailure(FailureKind kind, String code, String message, long retryAtMillis) {

    public BatchFailure {
        if (kind == null) {
            throw new IllegalArgumentException("A batch failure needs a kind");
        }
    }

    public static BatchFailure of(final FailureKind kind, final String code, final String message) {
        return new BatchFailure(kind, code, message, 0);
    }
}
