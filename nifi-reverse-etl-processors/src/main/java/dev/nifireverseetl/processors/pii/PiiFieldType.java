package dev.nifireverseetl.processors.pii;

import org.apache.nifi.components.DescribedValue;

import java.util.Locale;

/**
 * The kinds of personal data HashPII knows how to normalise; the value of each dynamic property names one.
 */
public enum PiiFieldType implements DescribedValue {
    EMAIL("email", "An email address"),
    PHONE("phone", "A phone number, national (in the Default Phone Region) or international"),
    FIRST_NAME("first_name", "A first (given) name"),
    LAST_NAME("last_name", "A last (family) name"),
    CITY("city", "A city"),
    STATE("state", "A state, province or region"),
    ZIP("zip", "A ZIP or postal code"),
    COUNTRY("country", "A country: ISO 3166-1 alpha-2 or alpha-3 code, or English name"),
    DATE_OF_BIRTH("date_of_birth", "A date of birth, year first (YYYY-MM-DD or YYYYMMDD) or a DATE field"),
    GENDER("gender", "A gender: f/female or m/male"),
    EXTERNAL_ID("external_id", "An advertiser's own identifier (CRM id): never normalised; HMAC-SHA256 when an HMAC Key is set");

    private final String value;
    private final String description;

    PiiFieldType(final String value, final String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public String getDisplayName() {
        return value;
    }

    @Override
    public String getDescription() {
        return description;
    }

    /**
     * @return the type named by the text (case-insensitive, surrounding whitespace ignored), or null
     */
    public static PiiFieldType fromValue(final String text) {
        if (text == null) {
            return null;
        }
        final String name = text.strip().toLowerCase(Locale.ROOT);
        for (final PiiFieldType type : values()) {
            if (type.value.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /**
     * @return the values, comma separated, for error messages and documentation
     */
    public static String allValues() {
        final StringBuilder builder = new StringBuilder();
        for (final PiiFieldType type : values()) {
            if (!builder.isEmpty()) {
                builder.append(", ");
            }
            builder.append(type.value);
        }
        return builder.toString();
    }
}
