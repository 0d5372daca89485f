package dev.nifireverseetl.hostile;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.ByteString;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain HTTP forward proxy on MockWebServer: takes absolute-form requests, forwards them to their target and relays
 * the answer; keeps the request lines it saw.
 */
final class ForwardingProxy implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient client = new OkHttpClient.Builder().followRedirects(false).retryOnConnectionFailure(false).build();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    ForwardingProxy() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(final RecordedRequest request) {
                return forward(request);
            }
        });
        try {
            server.start();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String host() {
        return server.getHostName();
    }

    int port() {
        return server.getPort();
    }

    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private MockResponse forward(final RecordedRequest request) {
        requestLines.add(request.getRequestLine());
        final ByteString body = request.getBody();
        final String contentType = request.getHeaders().get("Content-Type");
        final RequestBody forwardedBody = body == null || "GET".equals(request.getMethod()) ? null
                : RequestBody.create(body, contentType == null ? null : MediaType.parse(contentType));
        final Headers.Builder headers = new Headers.Builder();
        for (int i = 0; i < request.getHeaders().size(); i++) {
            final String name = request.getHeaders().name(i);
            if (!List.of("host", "content-length", "connection", "proxy-connection", "proxy-authorization", "transfer-encoding", "accept-encoding")
                    .contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(name, request.getHeaders().value(i));
            }
        }
        final Request forwarded = new Request.Builder().url(request.getTarget()).headers(headers.build()).method(request.getMethod(), forwardedBody).build();
        try (Response response = client.newCall(forwarded).execute()) {
            final MockResponse.Builder answer = new MockResponse.Builder().code(response.code()).body(response.body().string());
            for (int i = 0; i < response.headers().size(); i++) {
                final String name = response.headers().name(i);
                if (!List.of("content-length", "transfer-encoding", "connection").contains(name.toLowerCase(Locale.ROOT))) {
                    answer.addHeader(name, response.headers().value(i));
                }
            }
            return answer.build();
        } catch (final IOException e) {
            return new MockResponse.Builder().code(502).body("proxy could not reach the target: " + e.getMessage()).build();
        }
    }

    @Override
    public void close() {
        server.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
