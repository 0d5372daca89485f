package dev.nifireverseetl.state.embedded;

/**
 * The tags of the hash text encoding shared by {@link CompactOutput} and {@link CompactInput}.
 */
final class HashTextKind {

    static final int NULL = 0;
    static final int HEX_64 = 1;
    static final int HEX_128 = 2;
    static final int TEXT = 3;

    private HashTextKind() {
    }

    static boolean isLowerHex(final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
