package dev.nifireverseetl.templates;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.flow.VersionedConnection;
import org.apache.nifi.flow.VersionedProcessGroup;
import org.apache.nifi.flow.VersionedProcessor;
import org.apache.nifi.registry.flow.RegisteredFlowSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every flow definition shipped under {@code templates/<bucket>/<flow>.json} is checked against the real components of
 * this bundle, so renaming a property, a relationship or an allowable value breaks this test until the flows follow.
 */
class FlowDefinitionsTest {

    private static Path templatesDirectory() {
        final String root = System.getProperty("retl.repo.root");
        final Path base = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        return base.resolve("templates");
    }

    private static String projectVersion() {
        final String version = System.getProperty("retl.project.version");
        assertTrue(version != null && !version.isBlank(), "the build must pass retl.project.version");
        return version;
    }

    private static List<Path> flowFiles() throws IOException {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(templatesDirectory(), 2)) {
            paths.filter(path -> path.toString().endsWith(".json") && templatesDirectory().relativize(path).getNameCount() == 2).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyShippedFlowMatchesTheBundle() throws IOException {
        final List<Path> files = flowFiles();
        assertTrue(files.size() >= 3, "expected at least three flow definitions as templates/<bucket>/<flow>.json, found " + files);
        final Map<String, List<String>> problems = new LinkedHashMap<>();
        for (final Path file : files) {
            final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(file);
            final List<String> found = new FlowDefinitionChecker(projectVersion()).check(file.getFileName().toString(), snapshot);
            if (!found.isEmpty()) {
                problems.put(file.toString(), found);
            }
        }
        assertEquals(Map.of(), problems);
    }

    @Test
    void everyShippedFlowUsesOnlyFieldsOfTheFlowModel() throws IOException {
        final ObjectMapper strict = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        for (final Path file : flowFiles()) {
            final RegisteredFlowSnapshot snapshot = strict.readValue(file.toFile(), RegisteredFlowSnapshot.class);
            assertEquals("1.0", snapshot.getFlowEncodingVersion(), file.toString());
        }
    }

    @Test
    void aRenamedPropertyBreaksTheCheck() throws IOException {
        final Path file = flowFiles().get(0);
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(file);
        final VersionedProcessor ours = snapshot.getFlowContents().getProcessors().stream()
                .filter(processor -> processor.getType().startsWith(FlowDefinitionChecker.OUR_PACKAGE) && !processor.getProperties().isEmpty())
                .findFirst().orElseThrow();
        final String property = ours.getProperties().keySet().iterator().next();
        final Map<String, String> renamed = new LinkedHashMap<>(ours.getProperties());
        renamed.put(property + " Renamed", renamed.remove(property));
        ours.setProperties(renamed);

        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("unknown property '" + property + " Renamed'")), String.valueOf(problems));
    }

    @Test
    void anUnconnectedRelationshipBreaksTheCheck() throws IOException {
        final Path file = flowFiles().get(0);
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(file);
        snapshot.getFlowContents().getConnections().clear();
        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("neither connected nor auto-terminated")), String.valueOf(problems));
    }
    @Test
    void aMissingRequiredPropertyOfAnActiveDependencyBreaksTheCheck() throws IOException {
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(flowFiles().get(0));
        final VersionedProcessor put = ourProcessorWith(snapshot, "Sync ID");
        final Map<String, String> properties = new LinkedHashMap<>(put.getProperties());
        properties.remove("Sync ID");
        put.setProperties(properties);

        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("does not set required property 'Sync ID'")), String.valueOf(problems));
    }

    @Test
    void anInlineSecretBreaksTheCheck() throws IOException {
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(flowFiles().get(0));
        final VersionedProcessor put = ourProcessorWith(snapshot, "Access Token");
        final Map<String, String> properties = new LinkedHashMap<>(put.getProperties());
        properties.put("Access Token", "pat-na1-inline-secret");
        put.setProperties(properties);
        snapshot.getParameterContexts().values().iterator().next().getParameters().iterator().next().setSensitive(true);
        snapshot.getParameterContexts().values().iterator().next().getParameters().iterator().next().setValue("a secret value");

        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("writes sensitive property 'Access Token' inline")), String.valueOf(problems));
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("has a value in the file")), String.valueOf(problems));
    }

    @Test
    void aValueTheValidatorRejectsBreaksTheCheck() throws IOException {
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(templatesDirectory().resolve("reverse-etl/warehouse-to-hubspot-contacts.json"));
        final VersionedProcessor put = ourProcessorWith(snapshot, "Field Mapping");
        final Map<String, String> properties = new LinkedHashMap<>(put.getProperties());
        properties.put("Field Mapping", "customer_id warehouse_id");
        put.setProperties(properties);

        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("is not valid with the parameter context's values: Field Mapping")),
                String.valueOf(problems));
    }

    @Test
    void aSensitivePropertyDescribedAsPlainBreaksTheCheck() throws IOException {
        final RegisteredFlowSnapshot snapshot = FlowDefinitionChecker.read(templatesDirectory().resolve("reverse-etl/warehouse-to-hubspot-contacts.json"));
        final VersionedProcessor put = ourProcessorWith(snapshot, "Access Token");
        put.getPropertyDescriptors().get("Access Token").setSensitive(false);

        final List<String> problems = new FlowDefinitionChecker(projectVersion()).check("mutated", snapshot);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("describes 'Access Token' as not sensitive")), String.valueOf(problems));
    }

    @Test
    void everyShippedFlowIsClusterReady() throws IOException {
        for (final Path file : flowFiles()) {
            final VersionedProcessGroup group = FlowDefinitionChecker.read(file).getFlowContents();
            final Map<String, VersionedProcessor> processors = new LinkedHashMap<>();
            group.getProcessors().forEach(processor -> processors.put(processor.getIdentifier(), processor));
            for (final VersionedProcessor processor : group.getProcessors()) {
                if (processor.getType().endsWith(".ExecuteSQLRecord")) {
                    assertEquals("PRIMARY", processor.getExecutionNode(), file + ": the model query runs on the primary node only");
                }
            }
            for (final VersionedConnection connection : group.getConnections()) {
                assertTrue(connection.getBackPressureObjectThreshold() != null && connection.getBackPressureObjectThreshold() > 0
                        && connection.getBackPressureDataSizeThreshold() != null, file + ": back pressure set on " + connection.getIdentifier());
                final VersionedProcessor destination = processors.get(connection.getDestination().getId());
                if (destination == null || connection.getSource().getId().equals(connection.getDestination().getId())) {
                    continue;
                }
                if (destination.getType().endsWith(".DiffRecords")) {
                    assertTrue("SINGLE_NODE".equals(connection.getLoadBalanceStrategy())
                            || "DO_NOT_LOAD_BALANCE".equals(connection.getLoadBalanceStrategy()), file + ": the snapshot stays on one node");
                }
                if (destination.getType().startsWith(FlowDefinitionChecker.OUR_PACKAGE + "processors.") && destination.getType().contains(".Put")) {
                    assertTrue("ROUND_ROBIN".equals(connection.getLoadBalanceStrategy())
                            || "PARTITION_BY_ATTRIBUTE".equals(connection.getLoadBalanceStrategy()),
                            file + ": the connection into " + destination.getName() + " is load-balanced");
                }
            }
        }
    }

    private static VersionedProcessor ourProcessorWith(final RegisteredFlowSnapshot snapshot, final String property) {
        return snapshot.getFlowContents().getProcessors().stream()
                .filter(processor -> processor.getType().startsWith(FlowDefinitionChecker.OUR_PACKAGE) && processor.getProperties().containsKey(property))
                .findFirst().orElseThrow();
    }
}
