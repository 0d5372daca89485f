package dev.nifireverseetl.processors.pii.normalize;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * Normalises a country to its ISO 3166-1 alpha-2 code. Accepts the alpha-2 code, the alpha-3 code, the English name
 * and a few common aliases ({@code USA}, {@code UK}), in any case.
 */
public final class CountryNormalizer implements FieldNormalizer {

    private static final Map<String, String> CODES = countryCodes();

    private final boolean upperCase;

    /**
     * @param upperCase true for {@code US} (Google, sent in the clear), false for {@code us} (Meta, hashed)
     */
    public CountryNormalizer(final boolean upperCase) {
        this.upperCase = upperCase;
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        final String key = UnicodeText.lettersOnly(UnicodeText.lowerCase(UnicodeText.nfkc(value)));
        final String code = CODES.get(key);
        if (code == null) {
            throw new InvalidValueException("country_unknown", "not an ISO 3166-1 country code or English country name");
        }
        return upperCase ? code.toUpperCase(Locale.ROOT) : code;
    }

    private static Map<String, String> countryCodes() {
        final Map<String, String> codes = new HashMap<>();
        for (final String alpha2 : Locale.getISOCountries()) {
            final String code = UnicodeText.lowerCase(alpha2);
            final Locale locale = Locale.of("", alpha2);
            codes.put(code, code);
            try {
                codes.put(UnicodeText.lowerCase(locale.getISO3Country()), code);
            } catch (final MissingResourceException e) {
                // a region without an alpha-3 code keeps its alpha-2 code and name
            }
            codes.put(UnicodeText.lettersOnly(UnicodeText.lowerCase(locale.getDisplayCountry(Locale.ENGLISH))), code);
        }
        codes.put("usa", "us");
        codes.put("unitedstatesofamerica", "us");
        codes.put("uk", "gb");
        codes.put("greatbritain", "gb");
        codes.put("england", "gb");
        return Map.copyOf(codes);
    }
}
