package dev.nifireverseetl.processors.pii.normalize;

/**
 * Normalises a postal code: NFKC, whitespace removed, lower case; a US ZIP+4 ({@code 94025-1234} or
 * {@code 940251234}) keeps its first 5 digits when asked (Meta). Only letters, digits and {@code -} are accepted.
 */
public final class PostalCodeNormalizer implements FieldNormalizer {

    private final boolean usFiveDigits;
    private final boolean lowerCase;

    /**
     * @param usFiveDigits true to cut US ZIP+4 codes to their 5-digit ZIP
     * @param lowerCase    true to lower-case (false for codes sent in the clear)
     */
    public PostalCodeNormalizer(final boolean usFiveDigits, final boolean lowerCase) {
        this.usFiveDigits = usFiveDigits;
        this.lowerCase = lowerCase;
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        String code = UnicodeText.removeWhitespace(UnicodeText.removeFormatCharacters(UnicodeText.nfkc(value)));
        if (lowerCase) {
            code = UnicodeText.lowerCase(code);
        }
        boolean hasAlphanumeric = false;
        for (int index = 0; index < code.length(); index++) {
            final char character = code.charAt(index);
            if (isAsciiLetterOrDigit(character)) {
                hasAlphanumeric = true;
            } else if (character != '-') {
                throw new InvalidValueException("postal_code_invalid_character", "a postal code holds only letters, digits and '-'");
            }
        }
        if (!hasAlphanumeric) {
            throw new InvalidValueException("postal_code_empty", "a postal code needs at least one letter or digit");
        }
        if (usFiveDigits && isUsZipPlusFour(code)) {
            return code.substring(0, 5);
        }
        return code;
    }

    private static boolean isUsZipPlusFour(final String code) {
        if (code.length() == 9) {
            return allDigits(code, 0, 9);
        }
        return code.length() == 10 && code.charAt(5) == '-' && allDigits(code, 0, 5) && allDigits(code, 6, 10);
    }

    private static boolean allDigits(final String text, final int start, final int end) {
        for (int index = start; index < end; index++) {
            if (text.charAt(index) < '0' || text.charAt(index) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(final char character) {
        return character >= '0' && character <= '9' || character >= 'a' && character <= 'z' || character >= 'A' && character <= 'Z';
    }
}
