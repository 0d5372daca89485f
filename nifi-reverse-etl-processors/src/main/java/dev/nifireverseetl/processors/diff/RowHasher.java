package dev.nifireverseetl.processors.diff;

import org.apache.nifi.serialization.record.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * Hashes rows. A field hash is the first 64 bits of MurmurHash3-128 over the field's {@link CanonicalBytes}; the row
 * version is MurmurHash3-128 over (name, field hash) of the non-null version fields in sorted name order. Null and
 * absent fields are left out of both, so a null and a missing field are the same version and a new all-null column
 * does not change any row.
 * <p>
 * Collisions: a change goes unnoticed only if the 128-bit version collides, probability about 2^-128 per change. A
 * changed field is missed in the changed-field list only if its 64-bit hash collides (2^-64 per changed field), and
 * even then the row itself is still sent because its version differs. Not thread-safe: one per diff run.
 */
public final class RowHasher {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final CanonicalBytes value = new CanonicalBytes();
    private final CanonicalBytes version = new CanonicalBytes();
    private final long[] hash = new long[2];

    /**
     * @param record           the row
     * @param sortedFieldNames the version fields, sorted by name
     */
    public RowVersion hash(final Record record, final List<String> sortedFieldNames) {
        final List<String> names = new ArrayList<>(sortedFieldNames.size());
        final long[] hashes = new long[sortedFieldNames.size()];
        int count = 0;
        version.reset();
        for (final String name : sortedFieldNames) {
            final Object fieldValue = record.getValue(name);
            if (fieldValue == null) {
                continue;
            }
            value.reset();
            value.writeValue(fieldValue);
            Murmur3.hash128(value.bytes(), value.length(), hash);
            final long fieldHash = hash[0];
            names.add(name);
            hashes[count++] = fieldHash;
            version.writeUtf8(name);
            version.writeByte(0);
            version.writeLong(fieldHash);
        }
        Murmur3.hash128(version.bytes(), version.length(), hash);
        return new RowVersion(hex(hash[0]) + hex(hash[1]), names, hashes, count);
    }

    static String hex(final long value) {
        final char[] chars = new char[16];
        for (int i = 15; i >= 0; i--) {
            chars[i] = HEX[(int) ((value >>> ((15 - i) * 4)) & 0xF)];
        }
        return new String(chars);
    }
}
