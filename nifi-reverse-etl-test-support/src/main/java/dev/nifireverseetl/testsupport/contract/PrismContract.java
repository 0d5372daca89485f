package dev.nifireverseetl.testsupport.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Stoplight Prism (the validating mock, npm package {@code @stoplight/prism-cli} 5) on an API description from
 * {@code shared/specs/} and checks recorded requests against it. The binary is found through the environment variable
 * {@code PRISM_BIN}, then {@code <repo>/.tools/prism/node_modules/.bin/prism} (where {@code .ci/run} installs it), then
 * {@code prism} on the PATH.
 * <p>
 * A request violates the contract when Prism answers with an {@code sl-violations} header or a 422 problem body.
 */
public final class PrismContract implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    private final Process process;
    private final String baseUrl;
    private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

    private PrismContract(final Process process, final String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * @return the prism binary, or null when it is not installed
     */
    public static Path findBinary() {
        final String fromEnvironment = System.getenv("PRISM_BIN");
        if (fromEnvironment != null && Files.isExecutable(Path.of(fromEnvironment))) {
            return Path.of(fromEnvironment);
        }
        final Path local = repositoryRoot().resolve(".tools/prism/node_modules/.bin/prism");
        if (Files.isExecutable(local)) {
            return local;
        }
        final String path = System.getenv("PATH");
        if (path != null) {
            for (final String directory : path.split(File.pathSeparator)) {
                final Path candidate = Path.of(directory, "prism");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * @return true when the contract checks must run (in CI they never skip)
     */
    public static boolean required() {
        return System.getenv("CI") != null;
    }

    /**
     * The repository root: the system property {@code retl.repo.root} set by the build, else the working directory's
     * nearest ancestor holding {@code mvnw}.
     */
    public static Path repositoryRoot() {
        final String property = System.getProperty("retl.repo.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve("mvnw"))) {
            directory = directory.getParent();
        }
        return directory == null ? Path.of("").toAbsolutePath() : directory;
    }

    /**
     * @param specFileName a file of {@code ../shared/specs/} (next to the repository), for example
     *                     {@code hubspot-crm-objects-minimal.openapi.json}
     * @return the spec file; tests fail clearly when shared/specs is missing
     */
    public static Path spec(final String specFileName) {
        final Path root = repositoryRoot();
        final Path[] candidates = {root.resolve("../shared/specs").resolve(specFileName), root.resolve("shared/specs").resolve(specFileName)};
        for (final Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("API description not found: ../shared/specs/" + specFileName + " (relative to " + root + ")");
    }

    /**
     * Starts prism in mock mode on a free loopback port and waits until it answers.
     */
    public static PrismContract start(final Path binary, final Path spec) {
        final int port = freePort();
        final ProcessBuilder builder = new ProcessBuilder(binary.toString(), "mock", "-h", "127.0.0.1", "-p", String.valueOf(port), spec.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            final Process process = builder.start();
            final PrismContract prism = new PrismContract(process, "http://127.0.0.1:" + port);
            prism.awaitReady();
            return prism;
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot start prism", e);
        }
    }

    private void awaitReady() {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prism exited with code " + process.exitValue());
            }
            try (Response ignored = client.newCall(new Request.Builder().url(baseUrl + "/").build()).execute()) {
                return;
            } catch (final IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("prism did not start within 60 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for prism", e);
        }
    }

    /**
     * Sends one recorded request to prism.
     *
     * @return the contract violations prism reported (empty: the request conforms)
     */
    public List<String> violations(final RecordedExchange exchange) {
        final Request.Builder request = new Request.Builder().url(baseUrl + exchange.path());
        for (final Map.Entry<String, String> header : exchange.headers().entrySet()) {
            final String name = header.getKey();
            if (isHopHeader(name)) {
                continue;
            }
            request.header(name, header.getValue());
        }
        final String contentType = exchange.headers().getOrDefault("Content-Type", exchange.headers().getOrDefault("content-type", "application/json"));
        final boolean hasBody = !exchange.body().isEmpty() || "POST".equals(exchange.method()) || "PUT".equals(exchange.method()) || "PATCH".equals(exchange.method());
        request.method(exchange.method(), hasBody ? RequestBody.create(exchange.body(), MediaType.parse(contentType) == null ? JSON : MediaType.parse(contentType)) : null);
        try (Response response = client.newCall(request.build()).execute()) {
            final List<String> violations = new ArrayList<>();
            final String header = response.header("sl-violations");
            if (header != null && !header.isBlank()) {
                addMessages(violations, Json.MAPPER.readTree(header));
            }
            if (response.code() == 422 || response.code() == 404 || response.code() == 405) {
                final String body = response.body().string();
                violations.add("HTTP " + response.code() + ": " + body);
            }
            return violations;
        } catch (final IOException e) {
            throw new UncheckedIOException("prism did not answer", e);
        }
    }

    private static boolean isHopHeader(final String name) {
        return "host".equalsIgnoreCase(name) || "content-length".equalsIgnoreCase(name) || "connection".equalsIgnoreCase(name)
                || "accept-encoding".equalsIgnoreCase(name) || "transfer-encoding".equalsIgnoreCase(name);
    }

    private static void addMessages(final List<String> violations, final JsonNode node) {
        if (node.isArray()) {
            for (final JsonNode item : node) {
                violations.add(item.path("message").asText(item.toString()));
            }
        } else {
            violations.add(node.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
