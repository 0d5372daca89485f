package dev.nifireverseetl.bench;

import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline every record benchmark compares against: records read by the test JSON-lines reader and written by
 * the test JSON-lines writer, doing nothing else. Metric {@code passthrough.records_per_s}.
 */
public final class PassThroughBenchmark implements Benchmark {

    @Override
    public String name() {
        return "passthrough";
    }

    @Override
    public void run(final BenchContext context) throws Exception {
        final long rows = context.quick() ? 200_000 : 1_000_000;
        final Path input = SampleCustomers.write(context.workDirectory().resolve("passthrough-input.jsonl"), 0, rows);
        final Path output = context.workDirectory().resolve("passthrough-output.jsonl");
        try {
            measure(input, output);
            final long started = System.nanoTime();
            final long count = measure(input, output);
            final double seconds = (System.nanoTime() - started) / 1e9;
            if (count != rows) {
                throw new IllegalStateException("read " + count + " of " + rows + " records");
            }
            context.metric("passthrough.records_per_s", count / seconds);
            context.note("passthrough", rows + " records through the test JSON-lines reader and writer (second pass measured)");
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }

    /**
     * Reads every record of the input and writes it to the output.
     *
     * @return the number of records
     */
    public static long measure(final Path input, final Path output) throws Exception {
        long count = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
             RecordReader reader = JsonLines.reader(in)) {
            final RecordSetWriter writer = JsonLines.writer(out, reader.getSchema());
            writer.beginRecordSet();
            Record record;
            while ((record = reader.nextRecord()) != null) {
                writer.write(record);
                count++;
            }
            writer.finishRecordSet();
            writer.close();
        }
        return count;
    }
}
