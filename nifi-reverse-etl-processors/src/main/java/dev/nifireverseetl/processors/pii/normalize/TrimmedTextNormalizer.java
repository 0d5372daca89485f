package dev.nifireverseetl.processors.pii.normalize;

/**
 * For values a platform takes in the clear (Google's city, state and postal code): NFC, invisible format characters
 * removed, whitespace trimmed at both ends, nothing else changed.
 */
public final class TrimmedTextNormalizer implements FieldNormalizer {

    @Override
    public String normalize(final String value) throws InvalidValueException {
        final String text = UnicodeText.removeFormatCharacters(UnicodeText.nfc(value)).strip();
        if (text.isEmpty()) {
            throw new InvalidValueException("empty", "the value holds only invisible characters");
        }
        return text;
    }
}
