package dev.nifireverseetl.processors.diff;

import org.apache.nifi.serialization.record.Record;

import java.io.IOException;

/**
 * Receives the records of a diff run, each with its route. Records carry their own schema (the input schema plus the
 * sync fields, or the removal schema). Nothing written is final until the caller commits it: a run stopped by the
 * delete-safety guard or by unreadable input tells its caller to discard everything.
 */
public interface DiffOutput {

    /**
     * @return false when records of this route are not wanted (for example unchanged records that would be dropped):
     * the engine then counts them without building them
     */
    boolean wants(DiffRoute route);

    void write(DiffRoute route, Record record) throws IOException;
}
