package dev.nifireverseetl.processors.salesforce;

/**
 * The token endpoint refused to issue a token, or could not be reached. The message holds the OAuth error and its
 * description, never a secret.
 */
public class SalesforceAuthenticationException extends RuntimeException {

    public SalesforceAuthenticationException(final String message) {
        super(message);
    }

    public SalesforceAuthenticationException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
