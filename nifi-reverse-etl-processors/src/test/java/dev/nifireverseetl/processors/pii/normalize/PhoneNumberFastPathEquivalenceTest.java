package dev.nifireverseetl.processors.pii.normalize;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phone fast path must give exactly libphonenumber's parse + isValidNumber result. The corpus: libphonenumber's
 * example numbers of every supported region and non-geographic calling code for every number type, written in E.164,
 * international, national and RFC 3966 form, with their separators, without them, with dots for spaces, with parentheses,
 * with the international prefixes 00 and 011 instead of '+', with a digit dropped, added or changed, and the
 * national form behind '+' (trunk prefix after the country code); plus random digit strings with random separators,
 * prefixes and lengths. Each value is read in the default regions below: whenever the fast path answers, its E.164
 * must be what parse gives, and a value parse rejects must never get an answer. It must also answer for most plain
 * values, or it would not be a fast path.
 */
class PhoneNumberFastPathEquivalenceTest {

    private static final PhoneNumberUtil PHONE_NUMBER_UTIL = PhoneNumberUtil.getInstance();
    private static final String[] DEFAULT_REGIONS = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "MX", "AR"};
    private static final PhoneNumberType[] TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER,
        PhoneNumberType.PAGER, PhoneNumberType.UAN, PhoneNumberType.VOICEMAIL};
    private static final String SEPARATORS = " -.()";
    private static final int RANDOM_VALUES = 4_000;

    private static List<String> corpus;

    @BeforeAll
    static void buildCorpus() {
        final Set<String> values = new LinkedHashSet<>();
        final List<PhoneNumber> examples = new ArrayList<>();
        for (final String region : PHONE_NUMBER_UTIL.getSupportedRegions()) {
            for (final PhoneNumberType type : TYPES) {
                final PhoneNumber example = PHONE_NUMBER_UTIL.getExampleNumberForType(region, type);
                if (example != null) {
                    examples.add(example);
                }
            }
        }
        for (final int callingCode : PHONE_NUMBER_UTIL.getSupportedGlobalNetworkCallingCodes()) {
            final PhoneNumber example = PHONE_NUMBER_UTIL.getExampleNumberForNonGeoEntity(callingCode);
            if (example != null) {
                examples.add(example);
            }
        }
        final Random random = new Random(20_260_101L);
        for (final PhoneNumber example : examples) {
            final String e164 = PHONE_NUMBER_UTIL.format(example, PhoneNumberFormat.E164);
            final String international = PHONE_NUMBER_UTIL.format(example, PhoneNumberFormat.INTERNATIONAL);
            final String national = PHONE_NUMBER_UTIL.format(example, PhoneNumberFormat.NATIONAL);
            final String rfc3966 = PHONE_NUMBER_UTIL.format(example, PhoneNumberFormat.RFC3966);
            final String nationalDigits = national.replaceAll("[^0-9]", "");
            final String internationalDigits = e164.substring(1);
            for (final String written : List.of(e164, international, national, rfc3966)) {
                values.add(written);
                values.add(written.replace(' ', '.'));
                values.add(written.replaceAll("[ .()-]", ""));
            }
            values.add("00" + internationalDigits);
            values.add("011" + internationalDigits);
            values.add("00 " + international.substring(1));
            values.add("011 " + international.substring(1));
            values.add(nationalDigits);
            values.add("(" + nationalDigits.substring(0, Math.min(3, nationalDigits.length())) + ") " + nationalDigits.substring(Math.min(3, nationalDigits.length())));
            values.add("+" + example.getCountryCode() + " " + nationalDigits);
            values.add("+" + example.getCountryCode() + " (" + example.getCountryCode() + ") " + nationalDigits);
            values.add(example.getCountryCode() + " " + nationalDigits);
            values.add(e164.substring(0, e164.length() - 1));
            values.add(e164 + random.nextInt(10));
            values.add(nationalDigits + random.nextInt(10));
            values.add(e164.substring(0, e164.length() - 1) + (char) ('0' + (e164.charAt(e164.length() - 1) - '0' + 1) % 10));
            values.add(nationalDigits.length() > 1 ? nationalDigits.substring(1) : nationalDigits);
        }
        for (int index = 0; index < RANDOM_VALUES; index++) {
            values.add(randomValue(random));
        }
        corpus = List.copyOf(values);
        assertTrue(examples.size() > 1_000, "libphonenumber should give over 1000 example numbers, gave " + examples.size());
    }

    private static String randomValue(final Random random) {
        final StringBuilder value = new StringBuilder();
        switch (random.nextInt(6)) {
            case 0 -> value.append('+');
            case 1 -> value.append("00");
            case 2 -> value.append("011");
            case 3 -> value.append('0');
            default -> {
            }
        }
        final int digits = 1 + random.nextInt(18);
        for (int index = 0; index < digits; index++) {
            if (random.nextInt(4) == 0) {
                value.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
            }
            value.append((char) ('0' + random.nextInt(10)));
        }
        return value.toString();
    }

    @Test
    void theFastPathGivesParsesResultOrNoAnswerForEveryValueInEveryDefaultRegion() {
        final List<String> differences = new ArrayList<>();
        int answered = 0;
        int plainValidValues = 0;
        int plainValidAnswered = 0;
        for (final String region : DEFAULT_REGIONS) {
            final PhoneNumberFastPath fastPath = new PhoneNumberFastPath(region);
            for (final String value : corpus) {
                final String expected = slowOutcome(value, region);
                final PhoneNumber fast = fastPath.parseValidOrNull(value);
                final boolean plain = value.matches("[0-9 .()+-]*");
                if (plain && !expected.startsWith("rejected")) {
                    plainValidValues++;
                }
                if (fast == null) {
                    continue;
                }
                answered++;
                if (plain && !expected.startsWith("rejected")) {
                    plainValidAnswered++;
                }
                final String actual = PHONE_NUMBER_UTIL.format(fast, PhoneNumberFormat.E164);
                if (!actual.equals(expected)) {
                    differences.add(region + " [" + value + "]: fast path " + actual + ", parse " + expected);
                }
            }
        }
        assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())),
                differences.size() + " of " + corpus.size() * DEFAULT_REGIONS.length + " values differ");
        assertTrue(corpus.size() > 20_000, "corpus of " + corpus.size());
        assertTrue(plainValidAnswered > plainValidValues * 6 / 10,
                "the fast path answered only " + plainValidAnswered + " of " + plainValidValues + " plain valid values (" + answered + " in all)");
    }

    private static String slowOutcome(final String value, final String region) {
        try {
            return PHONE_NUMBER_UTIL.format(PhoneNormalizer.parseValid(value, region), PhoneNumberFormat.E164);
        } catch (final InvalidValueException e) {
            return "rejected " + e.rule();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 415 555 0132", "+1 (415) 555-0132", "011 44 20 7946 0018", "(415) 555-0132", "415.555.0132"})
    void commonUsWritingsTakeTheFastPath(final String value) {
        assertNotNull(new PhoneNumberFastPath("US").parseValidOrNull(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 212 000 0000", "12", "1-800-FLOWERS", "tel:+1-415-555-0132", "+999 1234 5678", "1 415 555 0132"})
    void invalidOrUnusualValuesAreLeftToParse(final String value) {
        assertNull(new PhoneNumberFastPath("US").parseValidOrNull(value));
    }
}
