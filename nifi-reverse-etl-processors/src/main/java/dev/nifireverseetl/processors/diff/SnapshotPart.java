package dev.nifireverseetl.processors.diff;

import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;

import java.io.IOException;

/**
 * One piece of a model snapshot (a FlowFile, a fragment, a file): opens a record reader over its content. The engine
 * closes the reader.
 */
@FunctionalInterface
public interface SnapshotPart {

    RecordReader open() throws IOException, MalformedRecordException, SchemaNotFoundException;
}
