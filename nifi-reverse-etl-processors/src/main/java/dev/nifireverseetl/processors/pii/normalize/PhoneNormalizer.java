package dev.nifireverseetl.processors.pii.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Parses a phone number with Google's libphonenumber (national numbers in the default region, international ones
 * starting with {@code +} or the region's international prefix such as {@code 00}) and formats it as E.164, with or
 * without the {@code +}. Plain input (digits with spaces, dashes, dots, parentheses and a leading {@code +}) goes
 * through {@link PhoneNumberFastPath}, which gives parse's result without parse's cost or leaves the value to parse.
 * An optional trunk prefix written {@code (0)} after the country code is dropped. Rejects letters (libphonenumber would read {@code 1-800-FLOWERS} as digits, which is never
 * a customer's phone), unknown characters, and numbers that libphonenumber does not find valid for their region.
 */
public final class PhoneNormalizer implements FieldNormalizer {

    private static final PhoneNumberUtil PHONE_NUMBER_UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;
    private final PhoneFormat format;
    private final PhoneNumberFastPath fastPath;

    /**
     * @param defaultRegion ISO 3166-1 alpha-2 region used for numbers written without a country code
     * @param format        the output format
     */
    public PhoneNormalizer(final String defaultRegion, final PhoneFormat format) {
        this.defaultRegion = defaultRegion;
        this.format = format;
        this.fastPath = new PhoneNumberFastPath(defaultRegion);
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        for (int index = 0; index < value.length(); index++) {
            final char character = value.charAt(index);
            if (Character.isLetter(character)) {
                throw new InvalidValueException("phone_contains_letters", "a phone number cannot contain letters");
            }
            if (!isAllowed(character)) {
                throw new InvalidValueException("phone_invalid_character", "a phone number holds only digits, spaces, '+', '-', '.', '/' and parentheses");
            }
        }
        final String parseable = withoutOptionalTrunkPrefix(value);
        final PhoneNumber fast = fastPath.parseValidOrNull(parseable);
        final PhoneNumber number = fast == null ? parseValid(parseable, defaultRegion) : fast;
        final String e164 = PHONE_NUMBER_UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        return format == PhoneFormat.E164_WITH_PLUS ? e164 : e164.substring(1);
    }

    /**
     * libphonenumber's full parse and validation, the reference the fast path answers for.
     *
     * @return the valid number
     * @throws InvalidValueException when parse rejects the text or the number is not valid
     */
    static PhoneNumber parseValid(final String text, final String defaultRegion) throws InvalidValueException {
        final PhoneNumber number;
        try {
            number = PHONE_NUMBER_UTIL.parse(text, defaultRegion);
        } catch (final NumberParseException e) {
            throw new InvalidValueException("phone_unparseable", "not a phone number (" + e.getErrorType() + ")");
        }
        if (!PHONE_NUMBER_UTIL.isValidNumber(number)) {
            throw new InvalidValueException("phone_invalid_number", "not a valid phone number for region "
                    + PHONE_NUMBER_UTIL.getRegionCodeForNumber(number) + " (country code " + number.getCountryCode() + ")");
        }
        return number;
    }

    /**
     * Removes the optional trunk prefix written {@code (0)} after the country code ({@code +44 (0)20 7946 0018}), common in
     * European numbers, which libphonenumber would otherwise read as a digit of the national number.
     */
    private static String withoutOptionalTrunkPrefix(final String value) {
        final String stripped = value.strip();
        if ((stripped.startsWith("+") || stripped.startsWith("00")) && stripped.contains("(0)")) {
            return stripped.replace("(0)", "");
        }
        return value;
    }

    private static boolean isAllowed(final char character) {
        return Character.isDigit(character) || UnicodeText.isWhitespace(character)
                || character == '+' || character == '＋' || character == '-' || character == '.' || character == '/'
                || character == '(' || character == ')' || character == '\u2010' || character == '\u2011'
                || character == '\u2012' || character == '\u2013' || character == '\u2014' || character == '\u2212'
                || Character.getType(character) == Character.FORMAT;
    }
}
