package dev.nifireverseetl.testsupport.records;

import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.util.TestRunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Entry points for tests and benchmarks: register the JSON-lines services on a TestRunner, or use the reader and
 * writer directly.
 */
public final class JsonLines {

    public static final String READER_ID = "json-lines-reader";
    public static final String WRITER_ID = "json-lines-writer";

    private JsonLines() {
    }

    /**
     * Adds and enables a reader and a writer on the runner and points the given properties at them.
     */
    public static void register(final TestRunner runner, final String readerPropertyName, final String writerPropertyName) {
        try {
            final JsonLinesReader reader = new JsonLinesReader();
            runner.addControllerService(READER_ID, reader);
            runner.enableControllerService(reader);
            final JsonLinesWriter writer = new JsonLinesWriter();
            runner.addControllerService(WRITER_ID, writer);
            runner.enableControllerService(writer);
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot register the JSON-lines services", e);
        }
        if (readerPropertyName != null) {
            runner.setProperty(readerPropertyName, READER_ID);
        }
        if (writerPropertyName != null) {
            runner.setProperty(writerPropertyName, WRITER_ID);
        }
    }

    public static RecordReader reader(final InputStream in) throws IOException, MalformedRecordException {
        return new JsonLinesRecordReader(in, 100, null);
    }

    public static RecordSetWriter writer(final OutputStream out, final RecordSchema schema) throws IOException {
        return new JsonLinesRecordSetWriter(out, schema);
    }
}
