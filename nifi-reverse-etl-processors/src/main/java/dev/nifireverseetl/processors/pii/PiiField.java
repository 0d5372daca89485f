package dev.nifireverseetl.processors.pii;

/**
 * One configured field: where it is, what it holds, and how the preset treats it.
 *
 * @param path the field name or nested path
 * @param type the kind of personal data
 * @param rule the preset's rule for that kind
 * @param hmac true when the value is keyed-hashed (HMAC-SHA256) instead of plain SHA-256
 */
public record PiiField(FieldPath path, PiiFieldType type, FieldRule rule, boolean hmac) {

    /**
     * @return true when the output is a hash (SHA-256 or HMAC), false when the value is sent normalised but in the clear
     */
    public boolean hashedOutput() {
        return hmac || rule.hashed();
    }
}
