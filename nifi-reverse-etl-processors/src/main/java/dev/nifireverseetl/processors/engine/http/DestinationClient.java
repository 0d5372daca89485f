package dev.nifireverseetl.processors.engine.http;

import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.Map;

/**
 * Sends {@link HttpRequestSpec}s to one destination: resolves relative URLs against the base URL and adds the
 * credential. No retries here (the engine decides); thread-safe.
 */
public final class DestinationClient {

    private final OkHttpClient httpClient;
    private final HttpUrl baseUrl;
    private final CredentialSource credential;

    /**
     * @param baseUrl for example {@code https://api.hubapi.com} (a trailing slash is ignored)
     */
    public DestinationClient(final OkHttpClient httpClient, final String baseUrl, final CredentialSource credential) {
        this.httpClient = httpClient;
        final HttpUrl parsed = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("Not an http(s) URL: the base URL");
        }
        this.baseUrl = parsed;
        this.credential = credential;
    }

    /**
     * @return the absolute URL the request goes to (no credentials: safe for provenance)
     */
    public String resolve(final HttpRequestSpec request) {
        if (request.url().startsWith("http://") || request.url().startsWith("https://")) {
            return request.url();
        }
        final String base = baseUrl.toString();
        final String trimmedBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return trimmedBase + (request.url().startsWith("/") ? request.url() : "/" + request.url());
    }

    /**
     * Sends the request and reads the whole response.
     *
     * @throws IOException on connection failures, timeouts and resets
     */
    public HttpResponseData send(final HttpRequestSpec request) throws IOException {
        final Request.Builder builder = new Request.Builder().url(resolve(request));
        for (final Map.Entry<String, String> header : request.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        if (credential != null) {
            builder.header("Authorization", credential.authorizationHeader());
        }
        final RequestBody body = request.body() == null ? null
                : RequestBody.create(request.body(), request.contentType() == null ? null : MediaType.parse(request.contentType()));
        builder.method(request.method(), body == null && requiresBody(request.method()) ? RequestBody.create(new byte[0]) : body);
        try (Response response = httpClient.newCall(builder.build()).execute()) {
            final ResponseBody responseBody = response.body();
            final byte[] bytes = responseBody.bytes();
            return new HttpResponseData(response.code(), response.headers().toMultimap(), bytes, System.currentTimeMillis());
        }
    }

    private static boolean requiresBody(final String method) {
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
    }

    public CredentialSource credential() {
        return credential;
    }
}
