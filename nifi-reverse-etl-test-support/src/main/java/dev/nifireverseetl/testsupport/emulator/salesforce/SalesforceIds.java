package dev.nifireverseetl.testsupport.emulator.salesforce;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salesforce record ids: 15 case-sensitive characters (a three-character key prefix naming the object, then the
 * record's number), and the 18-character form that adds a case-insensitive checksum of three characters. The API
 * returns the 18-character form; both forms are accepted as input.
 */
public final class SalesforceIds {

    private static final String CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String POD = "5g0000";

    private final AtomicLong sequence = new AtomicLong();

    /**
     * @return a new 18-character id with the given three-character key prefix
     */
    public String next(final String keyPrefix) {
        long number = sequence.incrementAndGet();
        final char[] digits = new char[6];
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (number % 62));
            number /= 62;
        }
        final String fifteen = keyPrefix + POD + new String(digits);
        return fifteen + checksum(fifteen);
    }

    /**
     * @return the canonical 18-character form of a 15- or 18-character id, or null when the text is not an id
     */
    public static String canonical(final String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!Character.isLetterOrDigit(id.charAt(i)) || id.charAt(i) > 'z') {
                return null;
            }
        }
        if (id.length() == 15) {
            return id + checksum(id);
        }
        final String suffix = id.substring(15).toUpperCase(Locale.ROOT);
        final char[] restored = id.substring(0, 15).toCharArray();
        for (int chunk = 0; chunk < 3; chunk++) {
            final int flags = CHECKSUM_ALPHABET.indexOf(suffix.charAt(chunk));
            if (flags < 0) {
                return null;
            }
            for (int position = 0; position < 5; position++) {
                final int index = chunk * 5 + position;
                final boolean upper = (flags & (1 << position)) != 0;
                restored[index] = upper ? Character.toUpperCase(restored[index]) : Character.toLowerCase(restored[index]);
            }
        }
        final String fifteen = new String(restored);
        return fifteen + checksum(fifteen);
    }

    /**
     * @return the three-character checksum suffix of a 15-character id
     */
    static String checksum(final String fifteen) {
        final StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int flags = 0;
            for (int position = 0; position < 5; position++) {
                final char c = fifteen.charAt(chunk * 5 + position);
                if (c >= 'A' && c <= 'Z') {
                    flags |= 1 << position;
                }
            }
            suffix.append(CHECKSUM_ALPHABET.charAt(flags));
        }
        return suffix.toString();
    }
}
