package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.FieldNormalizer;

/**
 * How one preset treats one field type: the normaliser, and whether the normalised value is hashed (SHA-256, lower
 * case hex) or sent in the clear.
 *
 * @param normalizer the platform's normalisation rule
 * @param hashed     true to hash the normalised value, false to send it as is (Google's country and postal code)
 */
public record FieldRule(FieldNormalizer normalizer, boolean hashed) {
}
