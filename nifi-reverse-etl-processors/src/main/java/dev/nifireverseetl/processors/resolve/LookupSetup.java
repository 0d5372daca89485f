package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.auth.CredentialSource;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitPolicy;

import java.time.ZoneId;

/**
 * How ResolveExternalIds reaches a destination: the lookup adapter, and the same credential, base URL and plan limits
 * the destination's Put processor builds (so both share one rate budget).
 *
 * @param release releases what the setup holds (the Salesforce token endpoint's HTTP client); run once when it is no longer used
 */
record LookupSetup(LookupAdapter adapter, CredentialSource credential, String baseUrl, RateLimitPolicy ratePolicy, ZoneId dailyResetZone, Runnable release) {

    LookupSetup(final LookupAdapter adapter, final CredentialSource credential, final String baseUrl, final RateLimitPolicy ratePolicy, final ZoneId dailyResetZone) {
        this(adapter, credential, baseUrl, ratePolicy, dailyResetZone, () -> { });
    }
}
