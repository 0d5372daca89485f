package dev.nifireverseetl.testsupport.records;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A test-only RecordReaderFactory for JSON lines (NiFi's JsonTreeReader is not on Maven Central). Infers the schema
 * from the first lines of each FlowFile.
 */
public class JsonLinesReader extends AbstractControllerService implements RecordReaderFactory {

    public static final PropertyDescriptor SAMPLE_SIZE = new PropertyDescriptor.Builder()
            .name("Schema Inference Sample Size")
            .description("How many leading lines are read to infer the schema")
            .addValidator(StandardValidators.POSITIVE_INTEGER_VALIDATOR)
            .defaultValue("100")
            .required(true)
            .build();

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return List.of(SAMPLE_SIZE);
    }

    @Override
    public RecordReader createRecordReader(final Map<String, String> variables, final InputStream in, final long inputLength, final ComponentLog logger)
            throws MalformedRecordException, IOException {
        final String configured = getConfigurationContext() == null ? null : getConfigurationContext().getProperty(SAMPLE_SIZE).getValue();
        final int sampleSize = configured == null ? 100 : Integer.parseInt(configured);
        return new JsonLinesRecordReader(in, sampleSize, null);
    }
}
