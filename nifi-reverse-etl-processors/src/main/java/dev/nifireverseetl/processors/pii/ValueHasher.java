package dev.nifireverseetl.processors.pii;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and HMAC-SHA256 of UTF-8 text as 64 lower-case hex characters. Not thread-safe: each thread (each
 * {@link RecordHasher}) has its own.
 */
public final class ValueHasher {

    private static final HexFormat HEX = HexFormat.of();
    private static final String HMAC_ALGORITHM = "HmacSHA256";

    private final MessageDigest digest;
    private final Mac mac;

    /**
     * @param hmacKey the HMAC key bytes, or null when no HMAC is configured
     */
    public ValueHasher(final byte[] hmacKey) {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
            if (hmacKey == null) {
                this.mac = null;
            } else {
                this.mac = Mac.getInstance(HMAC_ALGORITHM);
                this.mac.init(new SecretKeySpec(hmacKey, HMAC_ALGORITHM));
            }
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("SHA-256 or HMAC-SHA256 is not available in this JVM", e);
        }
    }

    public String sha256Hex(final String text) {
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @throws IllegalStateException when no HMAC key was given
     */
    public String hmacSha256Hex(final String text) {
        if (mac == null) {
            throw new IllegalStateException("No HMAC key is configured");
        }
        return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return true for exactly 64 hex digits (either case): a SHA-256 that must not be hashed again
     */
    public static boolean isSha256Hex(final String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int index = 0; index < 64; index++) {
            final char character = text.charAt(index);
            if (!(character >= '0' && character <= '9' || character >= 'a' && character <= 'f' || character >= 'A' && character <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
