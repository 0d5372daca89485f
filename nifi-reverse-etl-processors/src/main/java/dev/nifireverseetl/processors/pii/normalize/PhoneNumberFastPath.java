package dev.nifireverseetl.processors.pii.normalize;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.internal.MatcherApi;
import com.google.i18n.phonenumbers.internal.RegexBasedMatcher;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shortcut past {@link PhoneNumberUtil#parse(CharSequence, String)}, whose generic regular expressions (possible
 * number extraction, viability, extensions, RFC 3966) cost most of a phone's normalisation. It handles only plain
 * input: ASCII digits with spaces, dashes, dots and parentheses, at most one {@code +} before the first digit. It
 * follows parse's own steps with libphonenumber's metadata (international prefix, calling codes, national prefix for
 * parsing, general number pattern, possible lengths) and answers only when the result is a number
 * {@link PhoneNumberUtil#isValidNumber(PhoneNumber) libphonenumber finds valid}. Whenever a step could go another way
 * in parse (a national prefix with a transform rule, a national number starting with the default country code,
 * leading zeros, non-geographic calling codes, anything too short or too long) or the number is not valid, it answers
 * {@code null} and the caller uses parse, so its result is always parse's: the same E.164 number, or parse's rejection.
 * Thread-safe.
 */
final class PhoneNumberFastPath {

    private static final PhoneNumberUtil PHONE_NUMBER_UTIL = PhoneNumberUtil.getInstance();
    private static final MetadataSource METADATA = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final MatcherApi MATCHER = RegexBasedMatcher.create();
    private static final boolean[] SUPPORTED_CALLING_CODES = supportedCallingCodes();
    private static final Map<Integer, RegionParsingRules> RULES_BY_CALLING_CODE = new ConcurrentHashMap<>();
    private static final RegionParsingRules NO_RULES = new RegionParsingRules(null);
    private static final Map<Integer, String> DECIDING_REGION_BY_CALLING_CODE = new ConcurrentHashMap<>();
    private static final String NO_DECIDING_REGION = "";

    /** Longer input is left to parse (which refuses anything over 250 characters). */
    private static final int MAX_INPUT_LENGTH = 64;
    /** Shorter national numbers, and numbers after an international prefix, are left to parse. */
    private static final int MIN_NATIONAL_NUMBER_LENGTH = 3;
    private static final int MAX_NATIONAL_NUMBER_LENGTH = 17;
    private static final int MAX_CALLING_CODE_LENGTH = 3;

    private final RegionParsingRules defaultRegionRules;
    private final String defaultCallingCodeDigits;

    /**
     * @param defaultRegion ISO 3166-1 alpha-2 region for numbers written without a country code
     */
    PhoneNumberFastPath(final String defaultRegion) {
        final PhoneMetadata metadata = defaultRegion == null || !PHONE_NUMBER_UTIL.getSupportedRegions().contains(defaultRegion)
                ? null : METADATA.getMetadataForRegion(defaultRegion);
        this.defaultRegionRules = metadata == null ? NO_RULES : new RegionParsingRules(metadata);
        this.defaultCallingCodeDigits = metadata == null ? null : Integer.toString(metadata.getCountryCode());
    }

    /**
     * @param text the value parse would be given
     * @return the number parse would return for the text in the default region, when it is valid; null when the
     * fast path cannot tell (the caller must then use parse)
     */
    PhoneNumber parseValidOrNull(final String text) {
        if (defaultRegionRules.metadata == null || text.length() > MAX_INPUT_LENGTH) {
            return null;
        }
        final char[] digits = new char[text.length()];
        int digitCount = 0;
        boolean plus = false;
        for (int index = 0; index < text.length(); index++) {
            final char character = text.charAt(index);
            if (character >= '0' && character <= '9') {
                digits[digitCount++] = character;
            } else if (character == '+') {
                if (plus || digitCount > 0) {
                    return null;
                }
                plus = true;
            } else if (character != ' ' && character != '-' && character != '.' && character != '(' && character != ')') {
                return null;
            }
        }
        if (digitCount < 3) {
            return null;
        }
        final String allDigits = new String(digits, 0, digitCount);
        final int afterInternationalPrefix = plus ? 0 : defaultRegionRules.internationalPrefixEnd(allDigits);
        if (plus || afterInternationalPrefix > 0) {
            return international(allDigits.substring(afterInternationalPrefix));
        }
        if (allDigits.startsWith(defaultCallingCodeDigits)) {
            return null;
        }
        return withNationalNumber(defaultRegionRules.metadata.getCountryCode(), defaultRegionRules, allDigits);
    }

    private static PhoneNumber international(final String digits) {
        if (digits.length() <= MIN_NATIONAL_NUMBER_LENGTH || digits.charAt(0) == '0') {
            return null;
        }
        for (int length = 1; length <= MAX_CALLING_CODE_LENGTH; length++) {
            final int callingCode = Integer.parseInt(digits, 0, length, 10);
            if (SUPPORTED_CALLING_CODES[callingCode]) {
                final RegionParsingRules rules = RULES_BY_CALLING_CODE.computeIfAbsent(callingCode, PhoneNumberFastPath::rulesForCallingCode);
                return rules.metadata == null ? null : withNationalNumber(callingCode, rules, digits.substring(length));
            }
        }
        return null;
    }

    private static PhoneNumber withNationalNumber(final int callingCode, final RegionParsingRules rules, final String nationalDigits) {
        if (nationalDigits.length() < MIN_NATIONAL_NUMBER_LENGTH) {
            return null;
        }
        final String nationalNumber = rules.withoutNationalPrefix(nationalDigits);
        if (nationalNumber == null || nationalNumber.length() < MIN_NATIONAL_NUMBER_LENGTH
                || nationalNumber.length() > MAX_NATIONAL_NUMBER_LENGTH || nationalNumber.charAt(0) == '0') {
            return null;
        }
        final PhoneNumber number = new PhoneNumber().setCountryCode(callingCode).setNationalNumber(Long.parseLong(nationalNumber));
        return isValid(number) ? number : null;
    }

    /**
     * {@link PhoneNumberUtil#isValidNumber(PhoneNumber)} finds the number's region (the first region of its calling
     * code whose leading digits or number patterns match) and then validates it for that region, matching the
     * number patterns a second time. When the calling code has one region, or its first region has no leading
     * digits, a number valid for that first region is the one isValidNumber finds and validates, so one match is
     * enough; any other number gets the full isValidNumber.
     */
    private static boolean isValid(final PhoneNumber number) {
        final String decidingRegion = DECIDING_REGION_BY_CALLING_CODE.computeIfAbsent(number.getCountryCode(), PhoneNumberFastPath::decidingRegion);
        return !decidingRegion.isEmpty() && PHONE_NUMBER_UTIL.isValidNumberForRegion(number, decidingRegion)
                || PHONE_NUMBER_UTIL.isValidNumber(number);
    }

    private static String decidingRegion(final int callingCode) {
        final List<String> regions = PHONE_NUMBER_UTIL.getRegionCodesForCountryCode(callingCode);
        if (regions.isEmpty() || !PHONE_NUMBER_UTIL.getSupportedRegions().contains(regions.get(0))) {
            return NO_DECIDING_REGION;
        }
        final PhoneMetadata first = METADATA.getMetadataForRegion(regions.get(0));
        return regions.size() == 1 || first != null && !first.hasLeadingDigits() ? regions.get(0) : NO_DECIDING_REGION;
    }

    private static RegionParsingRules rulesForCallingCode(final int callingCode) {
        final String region = PHONE_NUMBER_UTIL.getRegionCodeForCountryCode(callingCode);
        final PhoneMetadata metadata = PHONE_NUMBER_UTIL.getSupportedRegions().contains(region) ? METADATA.getMetadataForRegion(region) : null;
        return metadata == null ? NO_RULES : new RegionParsingRules(metadata);
    }

    private static boolean[] supportedCallingCodes() {
        final boolean[] supported = new boolean[1000];
        for (final int callingCode : PHONE_NUMBER_UTIL.getSupportedCallingCodes()) {
            supported[callingCode] = true;
        }
        return supported;
    }

    /**
     * One region's metadata as parse applies it: its international (IDD) prefix and its national prefix for parsing.
     */
    private static final class RegionParsingRules {

        private final PhoneMetadata metadata;
        private final Pattern internationalPrefix;
        private final Pattern nationalPrefixForParsing;
        private final boolean hasTransformRule;

        RegionParsingRules(final PhoneMetadata metadata) {
            this.metadata = metadata;
            this.internationalPrefix = metadata == null || metadata.getInternationalPrefix().isEmpty()
                    ? null : Pattern.compile(metadata.getInternationalPrefix());
            this.nationalPrefixForParsing = metadata == null || metadata.getNationalPrefixForParsing().isEmpty()
                    ? null : Pattern.compile(metadata.getNationalPrefixForParsing());
            this.hasTransformRule = metadata != null && !metadata.getNationalPrefixTransformRule().isEmpty();
        }

        /**
         * parse's IDD rule: the prefix counts only when the digit after it is not 0.
         *
         * @return where the number starts after the international prefix, or 0 when there is none
         */
        int internationalPrefixEnd(final String digits) {
            if (internationalPrefix == null) {
                return 0;
            }
            final Matcher matcher = internationalPrefix.matcher(digits);
            if (!matcher.lookingAt() || matcher.end() == 0) {
                return 0;
            }
            final int end = matcher.end();
            return end < digits.length() && digits.charAt(end) == '0' ? 0 : end;
        }

        /**
         * parse's national prefix step (maybeStripNationalPrefixAndCarrierCode, then the possible-length test that
         * decides whether the stripped number is kept).
         *
         * @return the national significant number, or null when a transform rule applies or the stripped number's length
         * is not a possible one, and parse must decide
         */
        String withoutNationalPrefix(final String nationalDigits) {
            if (nationalPrefixForParsing == null) {
                return nationalDigits;
            }
            final Matcher matcher = nationalPrefixForParsing.matcher(nationalDigits);
            if (!matcher.lookingAt()) {
                return nationalDigits;
            }
            if (hasTransformRule && matcher.group(matcher.groupCount()) != null) {
                return null;
            }
            final String stripped = nationalDigits.substring(matcher.end());
            if (MATCHER.matchNationalNumber(nationalDigits, metadata.getGeneralDesc(), false)
                    && !MATCHER.matchNationalNumber(stripped, metadata.getGeneralDesc(), false)) {
                return nationalDigits;
            }
            return isPossibleLength(stripped.length()) ? stripped : null;
        }

        /**
         * parse keeps the stripped number when its length test says possible (or too long); anything else is left to
         * parse.
         */
        private boolean isPossibleLength(final int length) {
            return metadata.getGeneralDesc().getPossibleLengthList().contains(length)
                    && !metadata.getGeneralDesc().getPossibleLengthLocalOnlyList().contains(length);
        }
    }
}
