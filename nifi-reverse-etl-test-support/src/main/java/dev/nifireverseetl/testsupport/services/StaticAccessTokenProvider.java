package dev.nifireverseetl.testsupport.services;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.annotation.lifecycle.OnEnabled;
import org.apache.nifi.oauth2.AccessToken;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.util.StandardValidators;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A test-only OAuth2AccessTokenProvider (NiFi's StandardOauth2AccessTokenProvider is not on Maven Central). It hands
 * out the configured token, or the tokens of a supplier (for example one that asks an emulator's token endpoint), and
 * counts refreshes so tests can check that a client refreshed after a 401.
 */
public class StaticAccessTokenProvider extends AbstractControllerService implements OAuth2AccessTokenProvider {

    public static final PropertyDescriptor ACCESS_TOKEN = new PropertyDescriptor.Builder()
            .name("Access Token")
            .description("The token handed out")
            .sensitive(true)
            .required(false)
            .addValidator(StandardValidators.NON_EMPTY_VALIDATOR)
            .build();

    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile Supplier<String> tokenSupplier;
    private volatile AccessToken current;

    public StaticAccessTokenProvider() {
    }

    /**
     * @param tokenSupplier called for the first token and on every refresh
     */
    public StaticAccessTokenProvider(final Supplier<String> tokenSupplier) {
        this.tokenSupplier = tokenSupplier;
    }

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return List.of(ACCESS_TOKEN);
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) {
        final String configured = context.getProperty(ACCESS_TOKEN).getValue();
        if (configured != null && tokenSupplier == null) {
            tokenSupplier = () -> configured;
        }
        current = null;
    }

    @Override
    public AccessToken getAccessDetails() {
        AccessToken token = current;
        if (token == null) {
            token = new AccessToken(tokenSupplier.get(), null, "Bearer", 3600L, null);
            current = token;
        }
        return token;
    }

    @Override
    public void refreshAccessDetails() {
        refreshes.incrementAndGet();
        current = new AccessToken(tokenSupplier.get(), null, "Bearer", 3600L, null);
    }

    public int refreshCount() {
        return refreshes.get();
    }
}
