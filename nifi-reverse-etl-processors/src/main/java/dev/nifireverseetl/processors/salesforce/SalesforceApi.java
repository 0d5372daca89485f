package dev.nifireverseetl.processors.salesforce;

import java.util.function.Supplier;

/**
 * Where the REST API of the org is: the instance URL (from the session) and the configured API version.
 */
final class SalesforceApi {

    private final Supplier<String> instanceUrl;
    private final String version;

    SalesforceApi(final Supplier<String> instanceUrl, final String version) {
        this.instanceUrl = instanceUrl;
        this.version = version;
    }

    /**
     * @param path a path below {@code /services/data/vXX.X}, for example {@code /composite/sobjects}
     * @return the absolute URL
     */
    String url(final String path) {
        return SalesforceSession.trimSlash(instanceUrl.get()) + "/services/data/" + version + path;
    }

    String version() {
        return version;
    }
}
