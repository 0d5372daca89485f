package dev.nifireverseetl.nar;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the NAR that this build produced (failsafe runs after package) and checks it as NiFi would load it.
 */
class NarContentsIT {

    private static final String PROCESSOR_SERVICES = "META-INF/services/org.apache.nifi.processor.Processor";

    private static Path builtNar() {
        final Path nar = Path.of(System.getProperty("retl.nar.file"));
        assertTrue(Files.isRegularFile(nar), "the NAR was not built: " + nar);
        return nar;
    }

    @Test
    void narIsLoadableByNiFi28() throws IOException {
        final NarInspector inspector = new NarInspector(builtNar());
        assertEquals(List.of(), inspector.problems());
        assertEquals("2.8.0", inspector.attribute("Nar-Dependency-Version"));
        assertEquals("nifi-reverse-etl-nar", inspector.attribute("Nar-Id"));
        assertFalse(inspector.registeredProcessors().isEmpty(), "the bundle registers no processor");
        assertFalse(inspector.registeredServices().isEmpty(), "the bundle registers no controller service");
        assertTrue(inspector.bundledJars().stream().anyMatch(jar -> jar.startsWith("okhttp")), "OkHttp must be bundled: " + inspector.bundledJars());
        assertTrue(inspector.bundledJars().stream().anyMatch(jar -> jar.startsWith("jackson-databind")), "Jackson must be bundled");
    }

    @Test
    void inspectorNoticesAnUnregisteredProcessor() throws IOException {
        final NarInspector original = new NarInspector(builtNar());
        final String dropped = original.registeredProcessors().iterator().next();
        final Path mutated = Files.createTempFile("unregistered", ".nar");
        copyWithoutServiceLine(builtNar(), mutated, dropped);

        final List<String> problems = new NarInspector(mutated).problems();
        assertTrue(problems.contains("processor " + dropped + " is not registered in " + PROCESSOR_SERVICES), String.valueOf(problems));
        Files.delete(mutated);
    }

    /**
     * Copies the NAR, removing one line from the processors' service registration inside our bundled jars.
     */
    private static void copyWithoutServiceLine(final Path source, final Path target, final String line) throws IOException {
        try (ZipFile zip = new ZipFile(source.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            final Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                final ZipEntry entry = entries.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = zip.getInputStream(entry)) {
                    if (entry.getName().contains("/" + NarInspector.BUNDLE_JAR_PREFIX) && entry.getName().endsWith(".jar")) {
                        copyJarWithoutServiceLine(in, out, line);
                    } else {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
    }

    private static void copyJarWithoutServiceLine(final InputStream jar, final OutputStream target, final String line) throws IOException {
        final JarInputStream in = new JarInputStream(jar);
        final JarOutputStream out = in.getManifest() == null ? new JarOutputStream(target) : new JarOutputStream(target, in.getManifest());
        JarEntry entry;
        while ((entry = in.getNextJarEntry()) != null) {
            out.putNextEntry(new JarEntry(entry.getName()));
            if (PROCESSOR_SERVICES.equals(entry.getName())) {
                final String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                out.write(content.replace(line + "\n", "").replace(line, "").getBytes(StandardCharsets.UTF_8));
            } else {
                in.transferTo(out);
            }
            out.closeEntry();
        }
        out.finish();
    }
}
