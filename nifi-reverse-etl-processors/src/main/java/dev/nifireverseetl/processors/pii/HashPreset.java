package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.CountryNormalizer;
import dev.nifireverseetl.processors.pii.normalize.DateOfBirthNormalizer;
import dev.nifireverseetl.processors.pii.normalize.EmailNormalizer;
import dev.nifireverseetl.processors.pii.normalize.FieldNormalizer;
import dev.nifireverseetl.processors.pii.normalize.GenderNormalizer;
import dev.nifireverseetl.processors.pii.normalize.PhoneFormat;
import dev.nifireverseetl.processors.pii.normalize.PhoneNormalizer;
import dev.nifireverseetl.processors.pii.normalize.PostalCodeNormalizer;
import dev.nifireverseetl.processors.pii.normalize.StateNormalizer;
import dev.nifireverseetl.processors.pii.normalize.TextNormalizer;
import dev.nifireverseetl.processors.pii.normalize.TrimmedTextNormalizer;
import org.apache.nifi.components.DescribedValue;

import java.time.Clock;

/**
 * A destination's normalisation and hashing profile: for each field type, the rule that platform publishes. The
 * rules and the reasons for each choice are listed in HashPII's additionalDetails.md.
 */
public enum HashPreset implements DescribedValue {
    META_CUSTOM_AUDIENCES("Meta Custom Audiences",
            "Meta Marketing API customer-file audiences: email trimmed and lower-cased, phone as E.164 digits without '+', names and city"
                    + " lower-case letters only, US state as 2-letter code, US ZIP first 5 digits, country alpha-2 lower case; all hashed"),
    GOOGLE_ADS_CUSTOMER_MATCH("Google Ads Customer Match",
            "Google Ads Customer Match: email lower-cased without whitespace, phone E.164 with '+', names trimmed and lower-cased, all hashed;"
                    + " country (alpha-2 upper case), postal code, city and state sent in the clear"),
    GOOGLE_ADS_ENHANCED_CONVERSIONS("Google Ads Enhanced Conversions",
            "As Google Ads Customer Match, and dots are removed from the local part of gmail.com and googlemail.com addresses"),
    TIKTOK_EVENTS("TikTok Events API",
            "TikTok Events API and audiences: email trimmed and lower-cased, phone E.164 with '+', external id; all hashed"),
    GENERIC_SHA256("Generic SHA-256",
            "Every field type: trimmed, lower-cased text in NFC, email trimmed and lower-cased, phone E.164 with '+', country alpha-2 lower case,"
                    + " date of birth YYYYMMDD, gender f/m; all hashed");

    private final String displayName;
    private final String description;

    HashPreset(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return displayName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }

    /**
     * @param type          the field type
     * @param defaultRegion the region for phone numbers without a country code
     * @param clock         today's date, for date-of-birth range checks
     * @return the rule, or null when this platform does not take that field type
     */
    public FieldRule rule(final PiiFieldType type, final String defaultRegion, final Clock clock) {
        return switch (this) {
            case META_CUSTOM_AUDIENCES -> metaRule(type, defaultRegion, clock);
            case GOOGLE_ADS_CUSTOMER_MATCH -> googleRule(type, defaultRegion, false);
            case GOOGLE_ADS_ENHANCED_CONVERSIONS -> googleRule(type, defaultRegion, true);
            case TIKTOK_EVENTS -> tiktokRule(type, defaultRegion);
            case GENERIC_SHA256 -> genericRule(type, defaultRegion, clock);
        };
    }

    private static FieldRule metaRule(final PiiFieldType type, final String defaultRegion, final Clock clock) {
        return switch (type) {
            case EMAIL -> hashed(new EmailNormalizer(false, true, false));
            case PHONE -> hashed(new PhoneNormalizer(defaultRegion, PhoneFormat.E164_DIGITS_ONLY));
            case FIRST_NAME -> hashed(new TextNormalizer("first name", true, true));
            case LAST_NAME -> hashed(new TextNormalizer("last name", true, true));
            case CITY -> hashed(new TextNormalizer("city", true, true));
            case STATE -> hashed(new StateNormalizer());
            case ZIP -> hashed(new PostalCodeNormalizer(true, true));
            case COUNTRY -> hashed(new CountryNormalizer(false));
            case DATE_OF_BIRTH -> hashed(new DateOfBirthNormalizer(clock));
            case GENDER -> hashed(new GenderNormalizer());
            case EXTERNAL_ID -> hashed(HashPreset::unchanged);
        };
    }

    private static FieldRule googleRule(final PiiFieldType type, final String defaultRegion, final boolean enhancedConversions) {
        return switch (type) {
            case EMAIL -> hashed(new EmailNormalizer(true, false, enhancedConversions));
            case PHONE -> hashed(new PhoneNormalizer(defaultRegion, PhoneFormat.E164_WITH_PLUS));
            case FIRST_NAME -> hashed(new TextNormalizer("first name", false, true));
            case LAST_NAME -> hashed(new TextNormalizer("last name", false, true));
            case CITY, STATE, ZIP -> clear(new TrimmedTextNormalizer());
            case COUNTRY -> clear(new CountryNormalizer(true));
            case EXTERNAL_ID -> clear(HashPreset::unchanged);
            case DATE_OF_BIRTH, GENDER -> null;
        };
    }

    private static FieldRule tiktokRule(final PiiFieldType type, final String defaultRegion) {
        return switch (type) {
            case EMAIL -> hashed(new EmailNormalizer(false, false, false));
            case PHONE -> hashed(new PhoneNormalizer(defaultRegion, PhoneFormat.E164_WITH_PLUS));
            case EXTERNAL_ID -> hashed(HashPreset::unchanged);
            default -> null;
        };
    }

    private static FieldRule genericRule(final PiiFieldType type, final String defaultRegion, final Clock clock) {
        return switch (type) {
            case EMAIL -> hashed(new EmailNormalizer(false, false, false));
            case PHONE -> hashed(new PhoneNormalizer(defaultRegion, PhoneFormat.E164_WITH_PLUS));
            case FIRST_NAME -> hashed(new TextNormalizer("first name", false, true));
            case LAST_NAME -> hashed(new TextNormalizer("last name", false, true));
            case CITY -> hashed(new TextNormalizer("city", false, true));
            case STATE -> hashed(new TextNormalizer("state", false, true));
            case ZIP -> hashed(new PostalCodeNormalizer(false, true));
            case COUNTRY -> hashed(new CountryNormalizer(false));
            case DATE_OF_BIRTH -> hashed(new DateOfBirthNormalizer(clock));
            case GENDER -> hashed(new GenderNormalizer());
            case EXTERNAL_ID -> hashed(HashPreset::unchanged);
        };
    }

    private static FieldRule hashed(final FieldNormalizer normalizer) {
        return new FieldRule(normalizer, true);
    }

    private static FieldRule clear(final FieldNormalizer normalizer) {
        return new FieldRule(normalizer, false);
    }

    private static String unchanged(final String value) {
        return value;
    }
}
