package dev.nifireverseetl.testsupport.emulator;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A tiny embedded HTTP server for destination emulators, on OkHttp's MockWebServer. A destination emulator registers
 * stateful routes; the server adds what every destination has: latency, a rate limiter answering in the destination's
 * format, fault injection (5xx, timeouts, connection resets, malformed bodies, faults after processing), metrics, and
 * optional recording of requests for contract checks.
 * <p>
 * Order per request: route match (404 if none), fault before processing, rate limiter, handler, fault after
 * processing, latency. Requests are served concurrently (one thread per connection).
 */
public final class EmulatorServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final FaultInjector faults = new FaultInjector();
    private final EmulatorMetrics metrics = new EmulatorMetrics();
    private final List<RecordedExchange> recorded = new CopyOnWriteArrayList<>();
    private final Random latencyRandom = new Random(7);
    private volatile RateLimiter rateLimiter = RateLimiter.NONE;
    private volatile long latencyMillis;
    private volatile long latencyJitterMillis;
    private volatile boolean recording;
    private volatile LongSupplier clock = System::currentTimeMillis;

    public EmulatorServer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(final RecordedRequest request) throws InterruptedException {
                return EmulatorServer.this.dispatch(request);
            }
        });
    }

    /**
     * Serves HTTPS with this socket factory (its certificate) instead of HTTP; call before {@link #start()}.
     */
    public EmulatorServer useHttps(final SSLSocketFactory sslSocketFactory) {
        server.useHttps(sslSocketFactory);
        return this;
    }

    public EmulatorServer start() {
        try {
            server.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot start the emulator", e);
        }
        return this;
    }

    /**
     * @return the base URL without a trailing slash, for example {@code http://127.0.0.1:40123}
     */
    public String baseUrl() {
        final String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public EmulatorServer route(final String method, final String pathPattern, final RequestHandler handler) {
        routes.add(new Route(method, pathPattern, handler));
        return this;
    }

    public EmulatorServer rateLimiter(final RateLimiter limiter) {
        this.rateLimiter = limiter == null ? RateLimiter.NONE : limiter;
        return this;
    }

    /**
     * Every response waits this long (plus a uniform random jitter up to {@code jitterMillis}) before it is sent.
     */
    public EmulatorServer latency(final long millis, final long jitterMillis) {
        this.latencyMillis = millis;
        this.latencyJitterMillis = jitterMillis;
        return this;
    }

    /**
     * Keeps every request (for contract checks against the API description); off by default.
     */
    public EmulatorServer recording(final boolean on) {
        this.recording = on;
        return this;
    }

    /**
     * Replaces the clock the rate limiter sees (tests can move time without sleeping).
     */
    public EmulatorServer clock(final LongSupplier millisClock) {
        this.clock = millisClock;
        return this;
    }

    public long now() {
        return clock.getAsLong();
    }

    public FaultInjector faults() {
        return faults;
    }

    public EmulatorMetrics metrics() {
        return metrics;
    }

    public List<RecordedExchange> recordedExchanges() {
        return List.copyOf(recorded);
    }

    private MockResponse dispatch(final RecordedRequest recordedRequest) throws InterruptedException {
        final long arrival = clock.getAsLong();
        final String path = recordedRequest.getUrl().encodedPath();
        Route matched = null;
        Map<String, String> variables = null;
        for (final Route route : routes) {
            variables = route.match(recordedRequest.getMethod(), path);
            if (variables != null) {
                matched = route;
                break;
            }
        }
        final EmulatorRequest request = new EmulatorRequest(recordedRequest, variables == null ? Map.of() : variables, arrival);
        final String routeName = matched == null ? "unmatched" : matched.name();
        if (matched == null) {
            return finish(request, routeName, EmulatorResponse.json(404, Json.object("message", "No such endpoint: " + recordedRequest.getMethod() + " " + path)), null);
        }
        final Fault fault = faults.choose(request);
        if (fault != null && fault.beforeProcessing()) {
            return finish(request, routeName, null, fault);
        }
        EmulatorResponse response = rateLimiter.admit(request, arrival);
        if (response == null) {
            try {
                response = matched.handler().handle(request);
            } catch (final EmulatorException e) {
                response = e.response();
            } catch (final RuntimeException e) {
                response = EmulatorResponse.json(500, Json.object("message", "Emulator handler failed: " + e));
            }
            response = rateLimiter.decorate(request, response, clock.getAsLong());
        }
        return finish(request, routeName, response, fault);
    }

    private MockResponse finish(final EmulatorRequest request, final String routeName, final EmulatorResponse response, final Fault fault)
            throws InterruptedException {
        final int status = fault == null ? response.status() : faultStatus(fault, response);
        metrics.record(routeName, request.receivedAtMillis(), status, fault);
        if (recording) {
            recorded.add(new RecordedExchange(request.method(), request.url().encodedPath() + (request.url().encodedQuery() == null ? "" : "?" + request.url().encodedQuery()),
                    redactedHeaders(request), request.bodyText(), status));
        }
        final long delay = latencyMillis + (latencyJitterMillis > 0 ? (long) (latencyRandom.nextDouble() * latencyJitterMillis) : 0);
        final MockResponse.Builder builder = fault == null ? response.toMockResponse() : faultResponse(fault, response);
        if (delay > 0) {
            builder.headersDelay(delay, TimeUnit.MILLISECONDS);
        }
        return builder.build();
    }

    private static int faultStatus(final Fault fault, final EmulatorResponse processed) {
        return switch (fault) {
            case INTERNAL_SERVER_ERROR -> 500;
            case SERVICE_UNAVAILABLE -> 503;
            case BAD_GATEWAY -> 502;
            case MALFORMED_BODY -> 200;
            case TRUNCATED_AFTER_PROCESSING -> processed == null ? 200 : processed.status();
            case TIMEOUT, CONNECTION_RESET, RESET_AFTER_PROCESSING -> 0;
        };
    }

    private static MockResponse.Builder faultResponse(final Fault fault, final EmulatorResponse processed) {
        return switch (fault) {
            case INTERNAL_SERVER_ERROR -> EmulatorResponse.json(500, Json.object("status", "error", "message", "Internal error (injected)")).toMockResponse();
            case SERVICE_UNAVAILABLE -> EmulatorResponse.text(503, "text/plain", "Service Unavailable (injected)").toMockResponse();
            case BAD_GATEWAY -> EmulatorResponse.text(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>").toMockResponse();
            case MALFORMED_BODY -> EmulatorResponse.text(200, "application/json", "{\"results\":[{\"id\":").toMockResponse();
            case TRUNCATED_AFTER_PROCESSING -> {
                final String body = processed == null ? "{}" : processed.body();
                yield EmulatorResponse.text(processed == null ? 200 : processed.status(), "application/json", body.substring(0, Math.max(1, body.length() / 2)))
                        .toMockResponse();
            }
            case TIMEOUT -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE);
            case CONNECTION_RESET, RESET_AFTER_PROCESSING -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false));
        };
    }

    private static Map<String, String> redactedHeaders(final EmulatorRequest request) {
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final String name : request.headers().names()) {
            headers.put(name, "authorization".equalsIgnoreCase(name) ? redactedAuthorization(request.header(name)) : request.header(name));
        }
        return headers;
    }

    /**
     * Keeps the scheme, drops the credential: recordings never hold a secret, and contract checks still see the scheme.
     */
    private static String redactedAuthorization(final String value) {
        if (value != null && value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "Basic cmVkYWN0ZWQ6cmVkYWN0ZWQ=";
        }
        return "Bearer redacted";
    }

    /**
     * @return the requests recorded for one route pattern (method and path pattern), for assertions
     */
    public List<RecordedExchange> recordedFor(final String method, final String pathPrefix) {
        final List<RecordedExchange> matching = new ArrayList<>();
        for (final RecordedExchange exchange : recorded) {
            if (exchange.method().equals(method) && exchange.path().startsWith(pathPrefix)) {
                matching.add(exchange);
            }
        }
        return matching;
    }

    @Override
    public void close() {
        server.close();
    }
}
