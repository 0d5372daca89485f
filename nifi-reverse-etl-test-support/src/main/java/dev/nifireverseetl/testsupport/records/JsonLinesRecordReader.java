package dev.nifireverseetl.testsupport.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads one JSON object per line. The schema is inferred from the first lines (a bounded sample); the rest of the
 * input is streamed. A line that is not a JSON object raises {@link MalformedRecordException} with its line number.
 */
final class JsonLinesRecordReader implements RecordReader {

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    private final BufferedReader reader;
    private final Deque<JsonNode> sampled = new ArrayDeque<>();
    private final RecordSchema schema;
    private long lineNumber;

    JsonLinesRecordReader(final InputStream in, final int sampleSize, final RecordSchema fixedSchema) throws IOException, MalformedRecordException {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        final List<JsonNode> sample = new ArrayList<>();
        for (int i = 0; i < sampleSize; i++) {
            final JsonNode node = readObject();
            if (node == null) {
                break;
            }
            sample.add(node);
            sampled.add(node);
        }
        this.schema = fixedSchema == null ? JsonSchemaInference.infer(sample) : fixedSchema;
    }

    @Override
    public Record nextRecord(final boolean coerceTypes, final boolean dropUnknownFields) throws IOException, MalformedRecordException {
        final JsonNode node = sampled.isEmpty() ? readObject() : sampled.poll();
        return node == null ? null : JsonRecordConverter.toRecord(node, schema);
    }

    private JsonNode readObject() throws IOException, MalformedRecordException {
        String line;
        do {
            line = reader.readLine();
            lineNumber++;
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        final JsonNode node;
        try {
            node = OBJECT_MAPPER.readTree(line);
        } catch (final JsonProcessingException e) {
            throw new MalformedRecordException("Line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedRecordException("Line " + lineNumber + " is not a JSON object");
        }
        return node;
    }

    @Override
    public RecordSchema getSchema() {
        return schema;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
