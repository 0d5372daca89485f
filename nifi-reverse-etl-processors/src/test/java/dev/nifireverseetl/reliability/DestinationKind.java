package dev.nifireverseetl.reliability;

import java.util.function.Supplier;

/**
 * The destinations of the fault matrix.
 */
enum DestinationKind {
    HUBSPOT(HubSpotDestination::new),
    SALESFORCE(() -> new SalesforceDestination(false)),
    SALESFORCE_BULK(() -> new SalesforceDestination(true)),
    ZENDESK(ZendeskDestination::new);

    private final Supplier<SyncDestination> factory;

    DestinationKind(final Supplier<SyncDestination> factory) {
        this.factory = factory;
    }

    SyncDestination create() {
        return factory.get();
    }
}
