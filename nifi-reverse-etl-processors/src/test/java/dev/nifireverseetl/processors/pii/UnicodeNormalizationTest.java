package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Unicode edge cases in names and emails. Decisions (documented in additionalDetails.md): names, cities and states
 * are NFC (canonical composition, as the project decided in destinations.md §4: compatibility forms such as ligatures
 * are kept); emails and phones are NFKC (full-width characters typed with East Asian input methods become ASCII);
 * invisible format characters (bidi marks, zero-width joiners) are removed; combining marks stay with their letters;
 * code points outside the BMP (surrogate pairs) are handled whole.
 */
class UnicodeNormalizationTest {

    private static String normalize(final HashPreset preset, final PiiFieldType type, final String raw) throws InvalidValueException {
        return preset.rule(type, "US", Clock.systemUTC()).normalizer().normalize(raw);
    }

    @Test
    void decomposedAccentIsComposedToNfcBeforeHashing() throws InvalidValueException {
        final String decomposed = "Jose\u0301";
        final String meta = normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, decomposed);
        assertArrayEquals(new byte[] {0x6a, 0x6f, 0x73, (byte) 0xc3, (byte) 0xa9}, meta.getBytes(StandardCharsets.UTF_8));
        assertEquals("d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866", new ValueHasher(null).sha256Hex(meta));
        assertEquals("josé", normalize(HashPreset.GOOGLE_ADS_CUSTOMER_MATCH, PiiFieldType.FIRST_NAME, decomposed));
    }

    @Test
    void combiningMarksWithoutPrecomposedFormStayWithTheirLetters() throws InvalidValueException {
        // Devanagari vowel signs are marks (Mc/Mn): dropping them would change the name
        assertEquals("सीता", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, "सीता"));
        // Arabic harakat are marks too
        assertEquals("مُحَمَّد", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, "مُحَمَّد"));
    }

    @Test
    void rightToLeftMarksAreRemovedAndRightToLeftLettersKept() throws InvalidValueException {
        assertEquals("محمد", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, "\u200Fمحمد\u200F"));
        assertEquals("דוד כהן", normalize(HashPreset.GOOGLE_ADS_CUSTOMER_MATCH, PiiFieldType.LAST_NAME, "\u202Bדוד כהן\u202C "));
        assertEquals("דודכהן", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.LAST_NAME, "\u202Bדוד כהן\u202C "));
        assertEquals("user@example.com", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.EMAIL, "\u200Fuser@example.com"));
    }

    @Test
    void surrogatePairsAreHandledAsWholeCodePoints() throws InvalidValueException {
        // U+2000B is a CJK letter outside the BMP: kept; U+1F600 is an emoji (a symbol): Meta keeps letters only
        assertEquals("\uD840\uDC0Bann", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, "\uD840\uDC0BAnn\uD83D\uDE00"));
        assertEquals("\uD840\uDC0Bann\uD83D\uDE00", normalize(HashPreset.GOOGLE_ADS_CUSTOMER_MATCH, PiiFieldType.FIRST_NAME, "\uD840\uDC0BAnn\uD83D\uDE00"));
        // Deseret capital letter (surrogate pair) lower-cases to its small letter (another surrogate pair)
        assertEquals("\uD801\uDC28", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.FIRST_NAME, "\uD801\uDC00"));
    }

    @Test
    void emailsUseNfkcSoFullWidthFormsBecomeAscii() throws InvalidValueException {
        assertEquals("john@example.com", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.EMAIL, "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ"));
        assertEquals("josé@example.com", normalize(HashPreset.GOOGLE_ADS_CUSTOMER_MATCH, PiiFieldType.EMAIL, "Jose\u0301@Example.com"));
    }

    @Test
    void namesUseNfcSoCompatibilityCharactersAreKept() throws InvalidValueException {
        assertEquals("\uFB01ona", normalize(HashPreset.GOOGLE_ADS_CUSTOMER_MATCH, PiiFieldType.FIRST_NAME, "\uFB01ona"));
    }

    @Test
    void lowerCasingIsLocaleIndependent() throws InvalidValueException {
        // Turkish dotted capital I lower-cases by the root rules to i + combining dot above, whatever the JVM locale
        assertEquals("i\u0307stanbul", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.CITY, "İstanbul"));
        assertEquals("istanbul", normalize(HashPreset.META_CUSTOM_AUDIENCES, PiiFieldType.CITY, "ISTANBUL"));
    }
}
