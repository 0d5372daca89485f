package dev.nifireverseetl.processors.engine.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One-way fingerprints of credentials, to key shared rate budgets without keeping the secret.
 */
public final class CredentialFingerprint {

    private CredentialFingerprint() {
    }

    /**
     * @return the SHA-256 hex digest of the text
     */
    public static String of(final String text) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
