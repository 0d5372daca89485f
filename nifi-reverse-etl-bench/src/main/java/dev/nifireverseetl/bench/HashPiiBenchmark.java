package dev.nifireverseetl.bench;

import dev.nifireverseetl.processors.pii.HashPII;
import dev.nifireverseetl.processors.pii.HashPreset;
import dev.nifireverseetl.processors.pii.HashingPlan;
import dev.nifireverseetl.processors.pii.InvalidValueHandling;
import dev.nifireverseetl.processors.pii.PiiFieldType;
import dev.nifireverseetl.processors.pii.RecordHasher;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HashPII's throughput against the pass-through baseline: the same sample customers read by the same JSON-lines
 * reader and written by the same writer, once doing nothing ({@link PassThroughBenchmark#measure}) and once applying
 * HashPII's core ({@link RecordHasher}, Meta preset) to 4 PII fields (email, phone, first name, last name). Before
 * measuring, it confirms through a TestRunner that the processor writes byte for byte what the core writes, so the
 * number measured is the processor's. Metrics: {@code hashpii.records_per_s}, {@code hashpii.passthrough_records_per_s},
 * {@code hashpii.ratio} (target at least 0.5).
 */
public final class HashPiiBenchmark implements Benchmark {

    private static final int ROUNDS = 3;

    @Override
    public String name() {
        return "hashpii";
    }

    @Override
    public void run(final BenchContext context) throws Exception {
        final long rows = context.quick() ? 40_000 : 400_000;
        final Path input = SampleCustomers.write(context.workDirectory().resolve("hashpii-input.jsonl"), 0, rows);
        final Path output = context.workDirectory().resolve("hashpii-output.jsonl");
        final Path check = context.workDirectory().resolve("hashpii-check.jsonl");
        try {
            final HashingPlan plan = plan();
            confirmProcessorUsesTheCore(plan, check);

            measure(plan, input, output);
            PassThroughBenchmark.measure(input, output);
            final double[] hashRates = new double[ROUNDS];
            final double[] passRates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long started = System.nanoTime();
                final long passed = PassThroughBenchmark.measure(input, output);
                passRates[round] = passed / ((System.nanoTime() - started) / 1e9);
                started = System.nanoTime();
                final long hashed = measure(plan, input, output);
                hashRates[round] = hashed / ((System.nanoTime() - started) / 1e9);
                if (passed != rows || hashed != rows) {
                    throw new IllegalStateException("read " + passed + " / " + hashed + " of " + rows + " records");
                }
            }
            final double hashRate = median(hashRates);
            final double passRate = median(passRates);
            context.metric("hashpii.records_per_s", hashRate);
            context.metric("hashpii.passthrough_records_per_s", passRate);
            context.metric("hashpii.ratio", hashRate / passRate);
            context.note("hashpii", rows + " records, Meta preset on email, phone (libphonenumber), first_name, last_name; median of "
                    + ROUNDS + " alternating rounds after a warm-up, same reader and writer as the pass-through baseline");
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
            Files.deleteIfExists(check);
        }
    }

    private static HashingPlan plan() {
        final Map<String, PiiFieldType> fields = new LinkedHashMap<>();
        fields.put("email", PiiFieldType.EMAIL);
        fields.put("phone", PiiFieldType.PHONE);
        fields.put("first_name", PiiFieldType.FIRST_NAME);
        fields.put("last_name", PiiFieldType.LAST_NAME);
        return HashingPlan.create(HashPreset.META_CUSTOM_AUDIENCES, fields, "US", InvalidValueHandling.ROUTE_TO_FAILURE, null, Clock.systemUTC());
    }

    /**
     * Reads every record, applies HashPII's core and writes it.
     *
     * @return the number of records
     */
    static long measure(final HashingPlan plan, final Path input, final Path output) throws Exception {
        final RecordHasher hasher = plan.newHasher();
        long count = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
             RecordReader reader = JsonLines.reader(in)) {
            final RecordSetWriter writer = JsonLines.writer(out, plan.successSchema(reader.getSchema()));
            writer.beginRecordSet();
            Record record;
            while ((record = reader.nextRecord()) != null) {
                if (!hasher.apply(record)) {
                    throw new IllegalStateException("sample record " + count + " was rejected");
                }
                writer.write(record);
                count++;
            }
            writer.finishRecordSet();
            writer.close();
        }
        return count;
    }

    private static void confirmProcessorUsesTheCore(final HashingPlan plan, final Path check) throws Exception {
        final Path sample = SampleCustomers.write(check, 0, 2_000);
        final byte[] content = Files.readAllBytes(sample);
        final TestRunner runner = TestRunners.newTestRunner(HashPII.class);
        JsonLines.register(runner, HashPII.RECORD_READER.getName(), HashPII.RECORD_WRITER.getName());
        runner.setProperty(HashPII.PRESET, HashPreset.META_CUSTOM_AUDIENCES);
        runner.setProperty("email", "email");
        runner.setProperty("phone", "phone");
        runner.setProperty("first_name", "first_name");
        runner.setProperty("last_name", "last_name");
        runner.enqueue(content);
        runner.run();
        runner.assertAllFlowFilesTransferred(HashPII.REL_SUCCESS, 1);
        final MockFlowFile processed = runner.getFlowFilesForRelationship(HashPII.REL_SUCCESS).get(0);

        final Path direct = check.resolveSibling("hashpii-check-direct.jsonl");
        try {
            measure(plan, sample, direct);
            if (!Arrays.equals(Files.readAllBytes(direct), processed.toByteArray())) {
                throw new IllegalStateException("HashPII's output differs from its core's: the benchmark would not measure the processor");
            }
        } finally {
            Files.deleteIfExists(direct);
        }
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
