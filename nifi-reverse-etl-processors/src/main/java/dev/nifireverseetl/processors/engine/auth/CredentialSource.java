package dev.nifireverseetl.processors.engine.auth;

/**
 * Supplies the {@code Authorization} header of every request. Implementations keep the secret to themselves: it never
 * appears in {@link Object#toString()}, logs, attributes or provenance.
 */
public interface CredentialSource {

    /**
     * @return the value of the Authorization header, for example {@code Bearer pat-na1-...}
     */
    String authorizationHeader();

    /**
     * Called after a 401: obtain a fresh credential (OAuth refresh). Static credentials do nothing.
     */
    void refresh();

    /**
     * @return a one-way fingerprint identifying the account (SHA-256 of the credential or of a stable account id),
     * used to share one rate budget between all processors of the same account; never the credential itself
     */
    String accountFingerprint();
}
