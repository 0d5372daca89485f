package dev.nifireverseetl.processors.salesforce;

/**
 * The token endpoint refused to issue a token, or could not be reached. The message holds the OAuth error and its
 * description, never a secret.
 */
public class SalesforceAuthenticationException extends RuntimeException {

    private final String errorCode;
    private final boolean transientFailure;

    /**
     * A transient failure: the token endpoint could not be reached, answered 5xx, or sent a body without a token.
     */
    public SalesforceAuthenticationException(final String message) {
        this(message, "TOKEN_UNAVAILABLE", true, null);
    }

    /**
     * A transient failure caused by a connection problem.
     */
    public SalesforceAuthenticationException(final String message, final Throwable cause) {
        this(message, "TOKEN_UNAVAILABLE", true, cause);
    }

    /**
     * @param errorCode        Salesforce's OAuth error (for example {@code invalid_grant}), or {@code TOKEN_UNAVAILABLE}
     * @param transientFailure true when asking again later may succeed
     */
    public SalesforceAuthenticationException(final String message, final String errorCode, final boolean transientFailure, final Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.transientFailure = transientFailure;
    }

    /**
     * @return Salesforce's OAuth error code ({@code invalid_client}, {@code invalid_grant}, ...) for a refusal, or
     * {@code TOKEN_UNAVAILABLE} when no token could be obtained for a transient reason
     */
    public String errorCode() {
        return errorCode;
    }

    /**
     * @return true when the token endpoint was unreachable, failed (5xx, 429) or answered unreadably: asking again
     * later may succeed; false when Salesforce refused the credentials (a 4xx OAuth error), which needs a configuration fix
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
