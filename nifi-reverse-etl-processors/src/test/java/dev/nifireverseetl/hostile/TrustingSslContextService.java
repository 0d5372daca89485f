package dev.nifireverseetl.hostile;

import okhttp3.tls.HandshakeCertificates;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.ssl.SSLContextProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import java.util.Optional;

/**
 * A test SSL context service: trusts exactly the certificates it was given (no client key), as a NiFi
 * StandardSSLContextService with a trust store holding them would.
 */
final class TrustingSslContextService extends AbstractControllerService implements SSLContextProvider {

    private final HandshakeCertificates trusted;

    TrustingSslContextService(final HandshakeCertificates trusted) {
        this.trusted = trusted;
    }

    @Override
    public SSLContext createContext() {
        return trusted.sslContext();
    }

    @Override
    public Optional<X509ExtendedKeyManager> createKeyManager() {
        return Optional.empty();
    }

    @Override
    public X509TrustManager createTrustManager() {
        return trusted.trustManager();
    }
}
