package dev.nifireverseetl.processors.diff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version of one row: a 128-bit hash (32 hexadecimal digits) over the sorted non-null version fields, and the
 * 64-bit hash (16 hexadecimal digits) of each of those fields' canonical value. The field hash texts are built on
 * first use: most rows of a run are unchanged and never need them.
 */
public final class RowVersion {

    private final String version;
    private final List<String> names;
    private final long[] hashes;
    private final int count;
    private Map<String, String> fieldHashes;

    RowVersion(final String version, final List<String> names, final long[] hashes, final int count) {
        this.version = version;
        this.names = names;
        this.hashes = hashes;
        this.count = count;
    }

    public String version() {
        return version;
    }

    /**
     * @return field name to 16-digit hash, in name order, for the non-null version fields
     */
    public Map<String, String> fieldHashes() {
        if (fieldHashes == null) {
            final Map<String, String> built = new LinkedHashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                built.put(names.get(i), RowHasher.hex(hashes[i]));
            }
            fieldHashes = Collections.unmodifiableMap(built);
        }
        return fieldHashes;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof RowVersion that && version.equals(that.version) && fieldHashes().equals(that.fieldHashes());
    }

    @Override
    public int hashCode() {
        return version.hashCode();
    }

    @Override
    public String toString() {
        return "RowVersion[" + version + "]";
    }
}
