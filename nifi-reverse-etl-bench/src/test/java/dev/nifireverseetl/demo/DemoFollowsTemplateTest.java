package dev.nifireverseetl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo claims to run the HubSpot template's processors, configured and chained as there. This holds it to that: every
 * setting of our processors in templates/reverse-etl/warehouse-to-hubspot-contacts.json (literal values and the parameter
 * context's defaults; not secrets, service references or the HubSpot URL) equals the demo's, and the template chains the
 * processors the way the demo does.
 */
class DemoFollowsTemplateTest {

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final Set<String> ENVIRONMENT_PARAMETERS = Set.of("HubSpot Base URL", "HubSpot Access Token");

    @Test
    void demoUsesTheTemplatesSettingsAndChain(@TempDir final Path stateDirectory) throws IOException {
        final JsonNode flow = OBJECT_MAPPER.readTree(template().toFile());
        final Map<String, String> parameters = new HashMap<>();
        for (final JsonNode parameter : flow.path("parameterContexts").elements().next().path("parameters")) {
            if (!parameter.path("sensitive").asBoolean() && !ENVIRONMENT_PARAMETERS.contains(parameter.path("name").asText())) {
                parameters.put("#{" + parameter.path("name").asText() + "}", parameter.path("value").asText());
            }
        }
        final Set<String> serviceIds = new HashSet<>();
        flow.path("flowContents").path("controllerServices").forEach(service -> serviceIds.add(service.path("identifier").asText()));

        final Map<String, Map<String, String>> demo;
        try (SyncPipeline pipeline = new SyncPipeline(stateDirectory, "http://localhost:1", "unused-token", 100)) {
            demo = pipeline.propertiesByProcessorType();
        }
        final Map<String, String> typeById = new HashMap<>();
        int compared = 0;
        for (final JsonNode processor : flow.path("flowContents").path("processors")) {
            final String type = processor.path("type").asText();
            typeById.put(processor.path("identifier").asText(), type);
            if (!type.startsWith("dev.nifireverseetl.")) {
                continue;
            }
            assertTrue(demo.containsKey(type), "the demo runs " + type);
            for (final Map.Entry<String, JsonNode> property : processor.path("properties").properties()) {
                final String value = property.getValue().asText();
                if (serviceIds.contains(value) || (value.startsWith("#{") && !parameters.containsKey(value))) {
                    continue;
                }
                final String expected = parameters.getOrDefault(value, value);
                assertEquals(expected, demo.get(type).get(property.getKey()), type + " property " + property.getKey());
                compared++;
            }
        }
        assertTrue(compared >= 15, "compared " + compared + " settings");

        final Set<String> chain = new HashSet<>();
        for (final JsonNode connection : flow.path("flowContents").path("connections")) {
            final String source = simpleName(typeById.get(connection.path("source").path("id").asText()));
            final String destination = simpleName(typeById.get(connection.path("destination").path("id").asText()));
            connection.path("selectedRelationships").forEach(relationship -> chain.add(source + "." + relationship.asText() + "->" + destination));
        }
        for (final String link : Set.of("DiffRecords.added->HashPII", "DiffRecords.changed->HashPII", "HashPII.success->PutHubSpot",
                "DiffRecords.removed->PutHubSpot", "PutHubSpot.retry->PutHubSpot")) {
            assertTrue(chain.contains(link), "the template chains " + link + " as the demo does: " + chain);
        }
    }

    private static String simpleName(final String type) {
        return type == null ? "port" : type.substring(type.lastIndexOf('.') + 1);
    }

    private static Path template() {
        final String root = System.getProperty("retl.repo.root");
        final Path base = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        return base.resolve("templates/reverse-etl/warehouse-to-hubspot-contacts.json");
    }
}
