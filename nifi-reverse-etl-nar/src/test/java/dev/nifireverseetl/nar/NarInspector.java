package dev.nifireverseetl.nar;

import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.processor.Processor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens a built NAR and lists what is wrong with it: the parent NAR, jars that NiFi provides and must not be bundled,
 * processors and controller services that are not registered in META-INF/services, and components without
 * documentation.
 */
final class NarInspector {

    static final String BUNDLE_JAR_PREFIX = "nifi-reverse-etl-";
    private static final String BUNDLED = "META-INF/bundled-dependencies/";
    private static final String PROCESSOR_SERVICES = "META-INF/services/org.apache.nifi.processor.Processor";
    private static final String CONTROLLER_SERVICE_SERVICES = "META-INF/services/org.apache.nifi.controller.ControllerService";
    /** Jars that NiFi or the parent NAR provides: bundling them breaks class loading. */
    private static final List<String> FORBIDDEN_JAR_PREFIXES = List.of("nifi-api-", "nifi-utils-", "nifi-record-", "nifi-framework-api-",
            "nifi-record-serialization-service-api-", "nifi-oauth2-provider-api-", "nifi-dbcp-service-api-", "nifi-ssl-context-service-api-",
            "nifi-proxy-configuration-api-", "nifi-mock-");

    private final Path nar;
    private final Set<String> registeredProcessors = new TreeSet<>();
    private final Set<String> registeredServices = new TreeSet<>();
    private final Set<String> implementedProcessors = new TreeSet<>();
    private final Set<String> implementedServices = new TreeSet<>();
    private final List<String> bundledJars = new ArrayList<>();
    private final Set<String> documented = new TreeSet<>();
    private final List<String> loadFailures = new ArrayList<>();
    private String extensionManifest = "";
    private Manifest manifest;

    NarInspector(final Path nar) throws IOException {
        this.nar = nar;
        inspect();
    }

    private void inspect() throws IOException {
        final Path extracted = Files.createTempDirectory("nar-inspect");
        final List<URL> ourJars = new ArrayList<>();
        final List<String> ourClassNames = new ArrayList<>();
        try (ZipFile zip = new ZipFile(nar.toFile())) {
            final ZipEntry manifestEntry = zip.getEntry("META-INF/MANIFEST.MF");
            if (manifestEntry != null) {
                try (InputStream in = zip.getInputStream(manifestEntry)) {
                    manifest = new Manifest(in);
                }
            }
            final Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                final ZipEntry entry = entries.nextElement();
                final String name = entry.getName();
                if (name.startsWith("META-INF/docs/additional-details/") && name.endsWith("/additionalDetails.md")) {
                    documented.add(name.substring("META-INF/docs/additional-details/".length(), name.length() - "/additionalDetails.md".length()));
                } else if ("META-INF/docs/extension-manifest.xml".equals(name)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        extensionManifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                } else if (name.startsWith(BUNDLED) && name.endsWith(".jar")) {
                    final String jarName = name.substring(BUNDLED.length());
                    bundledJars.add(jarName);
                    if (jarName.startsWith(BUNDLE_JAR_PREFIX)) {
                        final Path copy = extracted.resolve(jarName);
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, copy);
                        }
                        ourJars.add(copy.toUri().toURL());
                        readOurJar(copy, ourClassNames);
                    }
                }
            }
        }
        try (URLClassLoader loader = new URLClassLoader(ourJars.toArray(new URL[0]), getClass().getClassLoader())) {
            for (final String className : ourClassNames) {
                final Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (final ClassNotFoundException | LinkageError e) {
                    loadFailures.add("cannot load " + className + " from the bundle: " + e);
                    continue;
                }
                if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                if (Processor.class.isAssignableFrom(type)) {
                    implementedProcessors.add(className);
                } else if (ControllerService.class.isAssignableFrom(type)) {
                    implementedServices.add(className);
                }
            }
        }
    }

    private void readOurJar(final Path jar, final List<String> classNames) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            JarEntry entry;
            while ((entry = in.getNextJarEntry()) != null) {
                final String name = entry.getName();
                if (PROCESSOR_SERVICES.equals(name)) {
                    registeredProcessors.addAll(serviceLines(in));
                } else if (CONTROLLER_SERVICE_SERVICES.equals(name)) {
                    registeredServices.addAll(serviceLines(in));
                } else if (name.endsWith(".class") && !name.contains("$") && !name.equals("module-info.class")) {
                    classNames.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
    }

    private static List<String> serviceLines(final InputStream in) throws IOException {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        final List<String> lines = new ArrayList<>();
        for (final String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
            final String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    String attribute(final String name) {
        if (manifest == null) {
            return null;
        }
        final Attributes attributes = manifest.getMainAttributes();
        return attributes.getValue(name);
    }

    /**
     * @return every problem found; empty when the NAR is good
     */
    List<String> problems() {
        final List<String> problems = new ArrayList<>(loadFailures);
        if (!"nifi-standard-services-api-nar".equals(attribute("Nar-Dependency-Id"))) {
            problems.add("parent NAR is " + attribute("Nar-Dependency-Id") + ", expected nifi-standard-services-api-nar");
        }
        if (!"org.apache.nifi".equals(attribute("Nar-Dependency-Group"))) {
            problems.add("parent NAR group is " + attribute("Nar-Dependency-Group") + ", expected org.apache.nifi");
        }
        for (final String jar : bundledJars) {
            for (final String forbidden : FORBIDDEN_JAR_PREFIXES) {
                if (jar.startsWith(forbidden)) {
                    problems.add("bundles " + jar + ", which NiFi or the parent NAR provides");
                }
            }
        }
        for (final String processor : implementedProcessors) {
            if (!registeredProcessors.contains(processor)) {
                problems.add("processor " + processor + " is not registered in " + PROCESSOR_SERVICES);
            }
        }
        for (final String service : implementedServices) {
            if (!registeredServices.contains(service)) {
                problems.add("controller service " + service + " is not registered in " + CONTROLLER_SERVICE_SERVICES);
            }
        }
        final Set<String> registered = new TreeSet<>(registeredProcessors);
        registered.addAll(registeredServices);
        for (final String component : registered) {
            if (!implementedProcessors.contains(component) && !implementedServices.contains(component)) {
                problems.add(component + " is registered but no such concrete component is in the bundle's jars");
            }
            if (!documented.contains(component)) {
                problems.add(component + " has no additionalDetails.md");
            }
            if (!extensionManifest.contains("<name>" + component + "</name>") && !extensionManifest.contains(component)) {
                problems.add(component + " is missing from the extension manifest (generated documentation)");
            }
        }
        return problems;
    }

    Set<String> registeredProcessors() {
        return registeredProcessors;
    }

    Set<String> registeredServices() {
        return registeredServices;
    }

    List<String> bundledJars() {
        return bundledJars;
    }
}
