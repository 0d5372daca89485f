package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.InvalidValueException;
import dev.nifireverseetl.processors.pii.normalize.PhoneFormat;
import dev.nifireverseetl.processors.pii.normalize.PhoneNormalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Phone numbers of several countries, written nationally (with spaces, dashes, dots, parentheses and trunk
 * prefixes) in their own default region, and internationally with '+' or '00' under another default region, all
 * reach the same E.164 number; Meta's format is that number without '+'.
 */
class PhoneNormalizerTest {

    @ParameterizedTest(name = "{0} national [{1}] / international [{2}] -> {3}")
    @CsvSource(delimiter = '|', value = {
        "US | (415) 555-0132      | +1 415-555-0132      | +14155550132",
        "US | 415.555.0132        | +1 (415) 555 0132    | +14155550132",
        "GB | 020 7946 0018       | +44 20 7946 0018     | +442079460018",
        "GB | 07911 123456        | +44 (0)7911 123456   | +447911123456",
        "DE | 030 901820          | +49 30 901820        | +4930901820",
        "DE | (0151) 2345-6789    | 0049 151 23456789    | +4915123456789",
        "FR | 01 23 45 67 89      | +33 1 23 45 67 89    | +33123456789",
        "FR | 06.12.34.56.78      | +33 6 12 34 56 78    | +33612345678",
        "IN | 098765 43210        | +91 98765 43210      | +919876543210",
        "IN | 98765-43210         | +91-98765-43210      | +919876543210",
        "BR | (11) 91234-5678     | +55 11 91234-5678    | +5511912345678",
        "BR | (21) 2345-6789      | +55 (21) 2345-6789   | +552123456789",
        "JP | 03-1234-5678        | +81 3-1234-5678      | +81312345678",
        "JP | 090-1234-5678       | +81 90 1234 5678     | +819012345678",
    })
    void nationalAndInternationalFormsReachTheSameE164(final String region, final String national, final String international, final String e164)
            throws InvalidValueException {
        assertEquals(e164, new PhoneNormalizer(region, PhoneFormat.E164_WITH_PLUS).normalize(national));
        final String otherRegion = "US".equals(region) ? "GB" : "US";
        final String internationalForOtherRegion = international.startsWith("00") ? (
                "US".equals(otherRegion) ? "011" + international.substring(2) : international) : international;
        assertEquals(e164, new PhoneNormalizer(otherRegion, PhoneFormat.E164_WITH_PLUS).normalize(internationalForOtherRegion));
        assertEquals(e164, new PhoneNormalizer(region, PhoneFormat.E164_WITH_PLUS).normalize(international));
        assertEquals(e164.substring(1), new PhoneNormalizer(region, PhoneFormat.E164_DIGITS_ONLY).normalize(national));
        assertEquals(e164.substring(1), new PhoneNormalizer(otherRegion, PhoneFormat.E164_DIGITS_ONLY).normalize(internationalForOtherRegion));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1-800-FLOWERS          | phone_contains_letters",
        "+1 650 555 1212 ext 12 | phone_contains_letters",
        "650#555#1212           | phone_invalid_character",
        "12                     | phone_invalid_number",
        "+999 1234 5678         | phone_unparseable",
        "+                      | phone_unparseable",
        "555-0132-555-0132-5550 | phone_unparseable",
        "+1 212 000 0000        | phone_invalid_number",
    })
    void garbageIsRejectedWithTheRuleItBreaks(final String raw, final String rule) {
        final InvalidValueException error = assertThrows(InvalidValueException.class,
                () -> new PhoneNormalizer("US", PhoneFormat.E164_WITH_PLUS).normalize(raw));
        assertEquals(rule, error.rule());
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {"０３-１２３４-５６７８", "+81\u00a03\u00a01234\u00a05678"})
    void fullWidthDigitsAndNoBreakSpacesAreAccepted(final String raw) throws InvalidValueException {
        assertEquals("+81312345678", new PhoneNormalizer("JP", PhoneFormat.E164_WITH_PLUS).normalize(raw));
    }
}
