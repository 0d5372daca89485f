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
}
