package dev.nifireverseetl.processors.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates records in the Salesforce emulator through its public REST API (token, then sObject Collections create), as
 * an org's existing data; returns their Ids.
 */
final class SalesforceSeeder {

    private final SalesforceEmulator emulator;
    private final HttpClient client = HttpClient.newHttpClient();

    SalesforceSeeder(final SalesforceEmulator emulator) {
        this.emulator = emulator;
    }

    /**
     * @param records field values of Contacts (LastName is added when missing)
     * @return the created Ids in order
     */
    List<String> contacts(final List<Map<String, Object>> records) {
        try {
            final String token = token();
            final List<String> ids = new ArrayList<>();
            for (int start = 0; start < records.size(); start += 200) {
                final ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("allOrNone", true);
                final ArrayNode array = body.putArray("records");
                for (final Map<String, Object> record : records.subList(start, Math.min(records.size(), start + 200))) {
                    final ObjectNode node = array.addObject();
                    node.putObject("attributes").put("type", "Contact");
                    node.put("LastName", "Seeded");
                    record.forEach((field, value) -> node.set(field, Json.MAPPER.valueToTree(value)));
                }
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/data/v62.0/composite/sobjects"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                for (final JsonNode result : Json.MAPPER.readTree(response.body())) {
                    if (!result.path("success").asBoolean()) {
                        throw new IllegalStateException("Seeding failed: " + result);
                    }
                    ids.add(result.path("id").asText());
                }
            }
            return ids;
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String token() throws IOException, InterruptedException {
        final String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(emulator.auth().consumerKey(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(emulator.auth().consumerSecret(), StandardCharsets.UTF_8);
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body()).path("access_token").asText();
    }
}
