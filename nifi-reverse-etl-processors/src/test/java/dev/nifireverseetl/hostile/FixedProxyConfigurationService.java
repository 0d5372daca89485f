package dev.nifireverseetl.hostile;

import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.proxy.ProxyConfiguration;
import org.apache.nifi.proxy.ProxyConfigurationService;

import java.net.Proxy;

/**
 * A test proxy configuration service: an HTTP proxy at a fixed host and port.
 */
final class FixedProxyConfigurationService extends AbstractControllerService implements ProxyConfigurationService {

    private final String host;
    private final int port;

    FixedProxyConfigurationService(final String host, final int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public ProxyConfiguration getConfiguration() {
        final ProxyConfiguration configuration = new ProxyConfiguration();
        configuration.setProxyType(Proxy.Type.HTTP);
        configuration.setProxyServerHost(host);
        configuration.setProxyServerPort(port);
        return configuration;
    }
}
