package dev.nifireverseetl.processors.engine.http;

import okhttp3.Authenticator;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.apache.nifi.proxy.ProxyConfiguration;
import org.apache.nifi.ssl.SSLContextProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import java.net.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the OkHttp client of one processor. TLS certificates are always verified: an SSL context service only adds
 * trust material (and a client key), it never disables verification.
 */
public final class HttpClientFactory {

    private HttpClientFactory() {
    }

    /**
     * @param sslContextProvider optional (null: the JVM's default trust store)
     * @param proxyConfiguration optional (null or DIRECT: no proxy)
     * @param connectTimeout     connect timeout
     * @param readTimeout        read (and write) timeout per request
     * @param maxConcurrent      requests that may be in flight at once (sizes the connection pool)
     */
    public static OkHttpClient create(final SSLContextProvider sslContextProvider, final ProxyConfiguration proxyConfiguration,
                                      final Duration connectTimeout, final Duration readTimeout, final int maxConcurrent) {
        final Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, maxConcurrent * 2));
        dispatcher.setMaxRequestsPerHost(Math.max(5, maxConcurrent * 2));
        final OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, maxConcurrent), 5, TimeUnit.MINUTES))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .retryOnConnectionFailure(false)
                .followRedirects(false);
        if (sslContextProvider != null) {
            final SSLContext sslContext = sslContextProvider.createContext();
            final X509TrustManager trustManager = sslContextProvider.createTrustManager();
            builder.sslSocketFactory(sslContext.getSocketFactory(), trustManager);
        }
        if (proxyConfiguration != null && proxyConfiguration.getProxyType() != Proxy.Type.DIRECT) {
            builder.proxy(proxyConfiguration.createProxy());
            if (proxyConfiguration.hasCredential()) {
                final String credential = Credentials.basic(proxyConfiguration.getProxyUserName(), proxyConfiguration.getProxyUserPassword());
                final Authenticator proxyAuthenticator = (route, response) -> response.request().newBuilder().header("Proxy-Authorization", credential).build();
                builder.proxyAuthenticator(proxyAuthenticator);
            }
        }
        return builder.build();
    }

    /**
     * Releases the client's threads and connections.
     */
    public static void close(final OkHttpClient client) {
        if (client != null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
