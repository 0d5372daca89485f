package dev.nifireverseetl.processors.pii.normalize;

import java.util.HashMap;
import java.util.Map;

/**
 * Normalises a state or province for Meta: a US state, district or territory name becomes its two-letter USPS code
 * in lower case ({@code California} → {@code ca}); anything else is lower-cased and reduced to letters (no
 * punctuation, no whitespace).
 */
public final class StateNormalizer implements FieldNormalizer {

    private static final Map<String, String> US_STATE_CODES = usStateCodes();

    private final TextNormalizer letters = new TextNormalizer("state", true, true);

    @Override
    public String normalize(final String value) throws InvalidValueException {
        final String letterText = letters.normalize(value);
        final String code = US_STATE_CODES.get(letterText);
        return code == null ? letterText : code;
    }

    private static Map<String, String> usStateCodes() {
        final String[] namesAndCodes = {
            "Alabama", "al", "Alaska", "ak", "Arizona", "az", "Arkansas", "ar", "California", "ca", "Colorado", "co",
            "Connecticut", "ct", "Delaware", "de", "District of Columbia", "dc", "Florida", "fl", "Georgia", "ga",
            "Hawaii", "hi", "Idaho", "id", "Illinois", "il", "Indiana", "in", "Iowa", "ia", "Kansas", "ks",
            "Kentucky", "ky", "Louisiana", "la", "Maine", "me", "Maryland", "md", "Massachusetts", "ma",
            "Michigan", "mi", "Minnesota", "mn", "Mississippi", "ms", "Missouri", "mo", "Montana", "mt",
            "Nebraska", "ne", "Nevada", "nv", "New Hampshire", "nh", "New Jersey", "nj", "New Mexico", "nm",
            "New York", "ny", "North Carolina", "nc", "North Dakota", "nd", "Ohio", "oh", "Oklahoma", "ok",
            "Oregon", "or", "Pennsylvania", "pa", "Rhode Island", "ri", "South Carolina", "sc", "South Dakota", "sd",
            "Tennessee", "tn", "Texas", "tx", "Utah", "ut", "Vermont", "vt", "Virginia", "va", "Washington", "wa",
            "West Virginia", "wv", "Wisconsin", "wi", "Wyoming", "wy", "American Samoa", "as", "Guam", "gu",
            "Northern Mariana Islands", "mp", "Puerto Rico", "pr", "United States Virgin Islands", "vi",
            "US Virgin Islands", "vi", "Virgin Islands", "vi"
        };
        final Map<String, String> codes = new HashMap<>();
        for (int index = 0; index < namesAndCodes.length; index += 2) {
            codes.put(UnicodeText.lettersOnly(UnicodeText.lowerCase(namesAndCodes[index])), namesAndCodes[index + 1]);
        }
        return Map.copyOf(codes);
    }
}
