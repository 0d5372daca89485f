package dev.nifireverseetl.processors.pii.normalize;

/**
 * How a platform wants an E.164 phone number written before it is hashed.
 */
public enum PhoneFormat {
    /** {@code +16505551212} (Google, TikTok). */
    E164_WITH_PLUS,
    /** {@code 16505551212}: E.164 without the {@code +} (Meta). */
    E164_DIGITS_ONLY
}
