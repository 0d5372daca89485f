package dev.nifireverseetl.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one-command demo ({@code ./demo}): a real sync, end to end, on embedded defaults. See {@link DemoScenario}.
 */
public final class DemoMain {

    static final String TOKEN_VARIABLE = "HUBSPOT_ACCESS_TOKEN";
    private static final int DEFAULT_ROWS = 5_000;
    private static final int DEFAULT_ROWS_REAL_ACCOUNT = 100;

    private DemoMain() {
    }

    public static void main(final String[] args) throws Exception {
        final PrintStream out = System.out;
        Integer rows = null;
        String hubSpotBaseUrl = null;
        int requestsPerTenSeconds = 100;
        for (int index = 0; index < args.length; index++) {
            switch (args[index]) {
                case "--rows" -> rows = Integer.parseInt(value(args, ++index, "--rows"));
                case "--hubspot-base-url" -> hubSpotBaseUrl = value(args, ++index, "--hubspot-base-url");
                case "--requests-per-10s" -> requestsPerTenSeconds = Integer.parseInt(value(args, ++index, "--requests-per-10s"));
                case "--help", "-h" -> {
                    usage(out);
                    return;
                }
                default -> {
                    System.err.println("Unknown option " + args[index]);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        final int rowCount = rows == null ? (hubSpotBaseUrl == null ? DEFAULT_ROWS : DEFAULT_ROWS_REAL_ACCOUNT) : rows;
        if (rowCount < 100) {
            System.err.println("--rows must be at least 100");
            System.exit(2);
        }
        out.println("nifi-reverse-etl demo: warehouse customers -> HubSpot contacts, three runs.");
        out.println("What runs: this bundle's DiffRecords, HashPII and PutHubSpot, configured and chained as in");
        out.println("templates/reverse-etl/warehouse-to-hubspot-contacts.json, driven by NiFi's test harness (nifi-mock TestRunner),");
        out.println("with the embedded sync state store (the template's standalone option). NiFi itself is not running. The warehouse is an embedded PostgreSQL;");
        out.println("ExecuteSQLRecord (NiFi's, not on Maven Central) is replaced by the same query over plain JDBC, written as records of the same shape.");
        final DemoDestination destination;
        if (hubSpotBaseUrl == null) {
            destination = DemoDestination.emulator(requestsPerTenSeconds);
            out.println("Destination: the HubSpot emulator on " + destination.baseUrl() + " (a local imitation of HubSpot's CRM batch API, not HubSpot).");
        } else {
            final String token = System.getenv(TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                System.err.println("--hubspot-base-url needs a private app token in the environment variable " + TOKEN_VARIABLE);
                System.exit(2);
            }
            destination = DemoDestination.hubSpotAccount(hubSpotBaseUrl, token);
            out.println("Destination: the HubSpot account at " + hubSpotBaseUrl + " (token from " + TOKEN_VARIABLE + ").");
            out.println("It needs the contact properties warehouse_id (unique) and email_sha256; the demo creates " + rowCount
                    + " contacts customer<N>@example.com and archives some.");
        }
        out.println(String.format(Locale.ROOT, "Rate limit: %d requests per 10 s. Rows: %,d.", requestsPerTenSeconds, rowCount));
        out.println();
        final DemoScenario.Result result;
        try (destination) {
            result = new DemoScenario(out).run(rowCount, destination, requestsPerTenSeconds);
        }
        out.println();
        out.println("Summary");
        out.println(String.format(Locale.ROOT, "  run 1: %s sent in %s (every row)", DemoScenario.count(result.first().recordsToDestination(), "record"),
                DemoScenario.count(result.first().requests(), "request")));
        out.println(String.format(Locale.ROOT, "  run 2: %s sent in %s (the %d changes; %,d unchanged rows not sent), %d failed",
                DemoScenario.count(result.second().recordsToDestination(), "record"), DemoScenario.count(result.second().requests(), "request"),
                result.edits().changesOfSecondRun(), result.second().unchanged(), result.second().failed()));
        out.println(String.format(Locale.ROOT, "  run 3: %s sent in %s (only the fixed row; the reverted row was not sent), %d failed",
                DemoScenario.count(result.third().recordsToDestination(), "record"), DemoScenario.count(result.third().requests(), "request"),
                result.third().failed()));
        System.exit(0);
    }

    private static String value(final String[] args, final int index, final String option) {
        if (index >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[index];
    }

    private static void usage(final PrintStream out) {
        out.println("Usage: ./demo [--rows N] [--requests-per-10s N] [--hubspot-base-url URL]");
        out.println("  --rows N               sample customers in the warehouse (default 5000; 100 with --hubspot-base-url; at least 100)");
        out.println("  --requests-per-10s N   the HubSpot rate limit PutHubSpot keeps to (default 100, HubSpot Free/Starter)");
        out.println("  --hubspot-base-url URL write to a real HubSpot account (e.g. https://api.hubapi.com) instead of the emulator;");
        out.println("                         the private app token is read from $" + TOKEN_VARIABLE + " and never printed");
    }
}
