package dev.nifireverseetl.processors.pii.normalize;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Unicode helpers shared by the text normalisers. Every helper returns its input unchanged (no copy) when there is
 * nothing to do, so the common ASCII case allocates nothing.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /**
     * @return the text in Normalization Form C (canonical composition: {@code e + U+0301} becomes {@code é})
     */
    public static String nfc(final String text) {
        return isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    /**
     * @return the text in Normalization Form KC (compatibility composition: full-width {@code ＠} becomes {@code @})
     */
    public static String nfkc(final String text) {
        return isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    /**
     * @return the text in lower case by the locale-independent Unicode rules
     */
    public static String lowerCase(final String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * Removes invisible format characters (Unicode category Cf: bidirectional marks and embeddings, zero-width
     * joiners and spaces, the byte-order mark), which copy-paste brings in from right-to-left text and which no
     * platform keeps.
     */
    public static String removeFormatCharacters(final String text) {
        if (isAscii(text)) {
            return text;
        }
        final StringBuilder builder = new StringBuilder(text.length());
        boolean removed = false;
        for (int index = 0; index < text.length(); ) {
            final int codePoint = text.codePointAt(index);
            if (Character.getType(codePoint) == Character.FORMAT) {
                removed = true;
            } else {
                builder.appendCodePoint(codePoint);
            }
            index += Character.charCount(codePoint);
        }
        return removed ? builder.toString() : text;
    }

    /**
     * Keeps letters and the combining marks that belong to them (categories L*, Mn, Mc, Me), code point by code point,
     * so supplementary characters (surrogate pairs) and scripts whose vowels are marks (Devanagari, Thai) survive.
     */
    public static String lettersOnly(final String text) {
        StringBuilder builder = null;
        for (int index = 0; index < text.length(); ) {
            final int codePoint = text.codePointAt(index);
            final int width = Character.charCount(codePoint);
            if (isLetterOrMark(codePoint)) {
                if (builder != null) {
                    builder.appendCodePoint(codePoint);
                }
            } else if (builder == null) {
                builder = new StringBuilder(text.length());
                builder.append(text, 0, index);
            }
            index += width;
        }
        return builder == null ? text : builder.toString();
    }

    /**
     * Removes every whitespace character (Unicode White_Space, including no-break spaces).
     */
    public static String removeWhitespace(final String text) {
        StringBuilder builder = null;
        for (int index = 0; index < text.length(); index++) {
            final char character = text.charAt(index);
            if (isWhitespace(character)) {
                if (builder == null) {
                    builder = new StringBuilder(text.length());
                    builder.append(text, 0, index);
                }
            } else if (builder != null) {
                builder.append(character);
            }
        }
        return builder == null ? text : builder.toString();
    }

    /**
     * @return true when the text holds at least one letter
     */
    public static boolean containsLetter(final String text) {
        for (int index = 0; index < text.length(); ) {
            final int codePoint = text.codePointAt(index);
            if (Character.isLetter(codePoint)) {
                return true;
            }
            index += Character.charCount(codePoint);
        }
        return false;
    }

    public static boolean isWhitespace(final char character) {
        return Character.isWhitespace(character) || Character.isSpaceChar(character);
    }

    private static boolean isLetterOrMark(final int codePoint) {
        if (Character.isLetter(codePoint)) {
            return true;
        }
        final int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean isAscii(final String text) {
        for (int index = 0; index < text.length(); index++) {
            if (text.charAt(index) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
