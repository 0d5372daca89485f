package dev.nifireverseetl.templates;

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
}
