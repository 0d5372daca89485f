package dev.nifireverseetl.processors.pii.normalize;

/**
 * Normalises human text such as names and cities: NFC, invisible format characters removed, lower case, and either
 * trimmed (Google: {@code Mary Jane} → {@code mary jane}) or reduced to letters and their combining marks (Meta:
 * {@code Mary-Jane} → {@code maryjane}, {@code Menlo Park} → {@code menlopark}). A value without any letter is
 * rejected.
 */
public final class TextNormalizer implements FieldNormalizer {

    private final String label;
    private final boolean lettersOnly;
    private final boolean lowerCase;

    /**
     * @param label       what the value is, for error messages ({@code first name})
     * @param lettersOnly true to drop everything but letters and marks (punctuation, digits, whitespace)
     * @param lowerCase   true to lower-case the value (false only for values sent in the clear)
     */
    public TextNormalizer(final String label, final boolean lettersOnly, final boolean lowerCase) {
        this.label = label;
        this.lettersOnly = lettersOnly;
        this.lowerCase = lowerCase;
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        String text = UnicodeText.removeFormatCharacters(UnicodeText.nfc(value)).strip();
        if (lowerCase) {
            text = UnicodeText.lowerCase(text);
        }
        if (lettersOnly) {
            text = UnicodeText.lettersOnly(text);
        }
        if (!UnicodeText.containsLetter(text)) {
            throw new InvalidValueException("no_letters", "a " + label + " needs at least one letter");
        }
        return text;
    }
}
