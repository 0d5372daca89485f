package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.nifireverseetl.processors.engine.WriteItem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes write items as Bulk API 2.0 CSV (UTF-8, comma, LF, header of field API names, RFC 4180 quoting) with
 * jackson-dataformat-csv, cut into uploads of at most a byte limit, each with the header: one upload per ingest job.
 * The columns are the union of the items' fields (an item without a field leaves an empty cell: unchanged), a reference
 * by External ID becomes a {@code Relationship.Field} column, null is {@code #N/A}.
 */
final class BulkCsvWriter {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.emptySchema().withLineSeparator("\n");

    /**
     * One upload: its CSV bytes and the items it holds.
     */
    record Chunk(byte[] csv, List<WriteItem> items) {
    }

    private BulkCsvWriter() {
    }

    /**
     * @param keyColumn   the column that identifies each row (External ID field or {@code Id}), always first
     * @param keyOfItem   true to put the item's match key in the key column, false to put its destination id
     * @param maximumBytes the most bytes of one upload
     * @throws IllegalArgumentException when a single row is larger than the limit
     */
    static List<Chunk> write(final List<WriteItem> items, final String keyColumn, final boolean keyOfItem, final long maximumBytes) {
        final List<String> columns = columns(items, keyColumn);
        final byte[] header = line(columns.toArray(new String[0]));
        final List<Chunk> chunks = new ArrayList<>();
        ByteArrayOutputStream current = null;
        List<WriteItem> currentItems = null;
        for (final WriteItem item : items) {
            final byte[] row = line(row(item, columns, keyColumn, keyOfItem));
            if (header.length + row.length > maximumBytes) {
                throw new IllegalArgumentException("One record is larger than the Bulk upload limit of " + maximumBytes + " bytes");
            }
            if (current == null || current.size() + row.length > maximumBytes) {
                if (current != null) {
                    chunks.add(new Chunk(current.toByteArray(), currentItems));
                }
                current = new ByteArrayOutputStream();
                current.writeBytes(header);
                currentItems = new ArrayList<>();
            }
            current.writeBytes(row);
            currentItems.add(item);
        }
        if (current != null) {
            chunks.add(new Chunk(current.toByteArray(), currentItems));
        }
        return chunks;
    }

    private static List<String> columns(final List<WriteItem> items, final String keyColumn) {
        final Set<String> columns = new LinkedHashSet<>();
        columns.add(keyColumn);
        for (final WriteItem item : items) {
            for (final Map.Entry<String, Object> field : item.fields().entrySet()) {
                if (field.getKey().equalsIgnoreCase(keyColumn)) {
                    continue;
                }
                if (field.getValue() instanceof Map<?, ?> reference) {
                    for (final Object referenceField : reference.keySet()) {
                        columns.add(field.getKey() + "." + referenceField);
                    }
                } else {
                    columns.add(field.getKey());
                }
            }
        }
        return new ArrayList<>(columns);
    }

    private static String[] row(final WriteItem item, final List<String> columns, final String keyColumn, final boolean keyOfItem) {
        final String[] cells = new String[columns.size()];
        cells[0] = keyOfItem ? item.matchKey() : item.destinationId();
        for (int i = 1; i < cells.length; i++) {
            final String column = columns.get(i);
            final int dot = column.indexOf('.');
            if (dot > 0 && item.fields().get(column.substring(0, dot)) instanceof Map<?, ?> reference) {
                final Object value = reference.get(column.substring(dot + 1));
                cells[i] = value == null ? "" : SalesforceValues.toCsvCell(value);
            } else if (item.fields().containsKey(column)) {
                cells[i] = SalesforceValues.toCsvCell(item.fields().get(column));
            } else {
                cells[i] = "";
            }
        }
        return cells;
    }

    private static byte[] line(final String[] cells) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(cells.length * 16);
        try (SequenceWriter writer = CSV.writer(SCHEMA).writeValues(out)) {
            writer.write(cells);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write CSV", e);
        }
        return out.toByteArray();
    }
}
