package dev.nifireverseetl.processors.pii.normalize;

/**
 * Normalises a gender to Meta's {@code f} or {@code m}: accepts {@code f}, {@code female}, {@code woman},
 * {@code w}, {@code m}, {@code male}, {@code man} in any case. Other values cannot be matched by the platforms and
 * are rejected.
 */
public final class GenderNormalizer implements FieldNormalizer {

    @Override
    public String normalize(final String value) throws InvalidValueException {
        final String text = UnicodeText.lowerCase(value.strip());
        return switch (text) {
            case "f", "female", "w", "woman" -> "f";
            case "m", "male", "man" -> "m";
            default -> throw new InvalidValueException("gender_unknown", "a gender must be f/female or m/male");
        };
    }
}
