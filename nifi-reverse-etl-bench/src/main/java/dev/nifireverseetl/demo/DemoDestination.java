package dev.nifireverseetl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.emulator.hubspot.PropertyType;

import java.io.IOException;
import java.util.List;

/**
 * Where the demo writes: the HubSpot emulator (the default; a local stateful imitation of HubSpot's CRM batch API with
 * its validation, error bodies and rate-limit headers), or a real HubSpot account.
 */
final class DemoDestination implements AutoCloseable {

    static final String EMULATOR_TOKEN = "pat-demo-emulator-token";
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    private final HubSpotEmulator emulator;
    private final String baseUrl;
    private final String accessToken;

    private DemoDestination(final HubSpotEmulator emulator, final String baseUrl, final String accessToken) {
        this.emulator = emulator;
        this.baseUrl = baseUrl;
        this.accessToken = accessToken;
    }

    /**
     * Starts the emulator with the contact properties the sync writes: warehouse_id (unique) comes with it, email_sha256
     * is added here as a HubSpot admin would create the custom property.
     */
    static DemoDestination emulator(final int requestsPerTenSeconds) {
        final HubSpotEmulator emulator = new HubSpotEmulator().token(EMULATOR_TOKEN).rateLimit(requestsPerTenSeconds, 250_000);
        emulator.objectType("contacts").property("email_sha256", PropertyType.STRING);
        emulator.server().recording(true);
        emulator.start();
        return new DemoDestination(emulator, emulator.baseUrl(), EMULATOR_TOKEN);
    }

    static DemoDestination hubSpotAccount(final String baseUrl, final String accessToken) {
        return new DemoDestination(null, baseUrl, accessToken);
    }

    boolean isEmulator() {
        return emulator != null;
    }

    String baseUrl() {
        return baseUrl;
    }

    String accessToken() {
        return accessToken;
    }

    /**
     * @return live contacts in the emulator, or -1 for a real account
     */
    long contactCount() {
        return emulator == null ? -1 : emulator.store("contacts").liveCount();
    }

    Mark mark() {
        return new Mark(emulator == null ? 0 : emulator.server().recordedExchanges().size());
    }

    /**
     * @return requests and batch records the emulator received since the mark; -1 each for a real account
     */
    Received receivedSince(final Mark mark) {
        if (emulator == null) {
            return new Received(-1, -1);
        }
        final List<RecordedExchange> exchanges = emulator.server().recordedExchanges();
        long records = 0;
        for (final RecordedExchange exchange : exchanges.subList(mark.exchanges(), exchanges.size())) {
            records += inputs(exchange.body());
        }
        return new Received(exchanges.size() - mark.exchanges(), records);
    }

    private static long inputs(final String body) {
        if (body == null || body.isBlank()) {
            return 0;
        }
        try {
            final JsonNode inputs = OBJECT_MAPPER.readTree(body).path("inputs");
            return inputs.isArray() ? inputs.size() : 0;
        } catch (final IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }

    record Mark(int exchanges) {
    }

    record Received(long requests, long records) {
    }
}
