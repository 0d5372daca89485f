package dev.nifireverseetl.testsupport.records;

import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A test-only RecordSetWriterFactory writing JSON lines (NiFi's JsonRecordSetWriter is not on Maven Central). The
 * write schema is the schema it is given (inherit record schema).
 */
public class JsonLinesWriter extends AbstractControllerService implements RecordSetWriterFactory {

    @Override
    public RecordSchema getSchema(final Map<String, String> variables, final RecordSchema readSchema) {
        return readSchema;
    }

    @Override
    public RecordSetWriter createWriter(final ComponentLog logger, final RecordSchema schema, final OutputStream out, final Map<String, String> variables)
            throws IOException {
        return new JsonLinesRecordSetWriter(out, schema);
    }
}
