package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;

import java.time.ZoneId;

/**
 * What a Put processor tells the engine about its destination (see {@link AbstractPutDestination#createDestination}).
 *
 * @param adapter        the destination adapter
 * @param credential     the credential source
 * @param baseUrl        the API base URL (requests with relative URLs resolve against it); also keys the shared budget
 * @param ratePolicy     the account's plan limits
 * @param dailyResetZone the time zone in which the destination's daily limit resets (HubSpot: the account's time zone)
 */
public record DestinationSetup(DestinationAdapter adapter, CredentialSource credential, String baseUrl, RateLimitPolicy ratePolicy, ZoneId dailyResetZone) {

    public DestinationSetup {
        if (adapter == null || credential == null || baseUrl == null || ratePolicy == null) {
            throw new IllegalArgumentException("A destination needs an adapter, a credential, a base URL and a rate policy");
        }
    }
}
