package dev.nifireverseetl.processors.diff;

import java.util.Map;

/**
 * The version of one row: a 128-bit hash (32 hexadecimal digits) over the sorted non-null version fields, and the
 * 64-bit hash (16 hexadecimal digits) of each of those fields' canonical value.
 */
public record RowVersion(String version, Map<String, String> fieldHashes) {
}
