package dev.nifireverseetl.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes synthetic warehouse rows (customers) as JSON lines: deterministic for a given row id and generation, so a
 * later snapshot can change exactly the rows a benchmark chooses.
 */
public final class SampleCustomers {

    private SampleCustomers() {
    }

    /**
     * One row as a JSON line (no trailing newline).
     *
     * @param id         the row id (the key)
     * @param generation bump it to change the row's values
     */
    public static String row(final long id, final int generation) {
        return "{\"customer_id\":" + id
                + ",\"email\":\"customer" + id + "@example.com\""
                + ",\"first_name\":\"First" + (id % 9973) + "\""
                + ",\"last_name\":\"Last" + (id % 7919) + "\""
                + ",\"phone\":\"+1 415 555 " + String.format("%04d", id % 10000) + "\""
                + ",\"city\":\"City" + (id % 541) + "\""
                + ",\"plan\":\"" + (id % 3 == 0 ? "pro" : "free") + "\""
                + ",\"lifetime_value\":" + ((id * 37 + generation * 11) % 100000) / 100.0
                + ",\"is_active\":" + (id % 5 != 0)
                + ",\"signup_date\":\"2024-" + String.format("%02d", id % 12 + 1) + "-" + String.format("%02d", id % 28 + 1) + "\""
                + ",\"updated_at\":\"2026-01-" + String.format("%02d", generation % 28 + 1) + "T10:00:00Z\""
                + "}";
    }

    /**
     * Writes rows with ids {@code firstId} (inclusive) to {@code endId} (exclusive) to a file, all at generation 0.
     */
    public static Path write(final Path file, final long firstId, final long endId) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long id = firstId; id < endId; id++) {
                writer.write(row(id, 0));
                writer.newLine();
            }
        }
        return file;
    }
}
