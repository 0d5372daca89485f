package dev.nifireverseetl.processors.pii.normalize;

/**
 * Turns one raw field value into the exact string a platform hashes (or sends in the clear).
 */
@FunctionalInterface
public interface FieldNormalizer {

    /**
     * @param value the raw value, never null and never blank
     * @return the normalised value, never empty
     * @throws InvalidValueException when the value cannot be normalised; the message never contains the value
     */
    String normalize(String value) throws InvalidValueException;
}
