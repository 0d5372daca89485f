package dev.nifireverseetl.processors.zendesk;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The account's base URL: {@code https://{subdomain}.zendesk.com}, or a base URL given as is (a host-mapped domain, a
 * proxy, an emulator). The API lives under {@code /api/v2} of it.
 */
public final class ZendeskUrls {

    private static final Pattern SUBDOMAIN = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private ZendeskUrls() {
    }

    /**
     * @return null when the subdomain is valid, else the reason
     */
    public static String subdomainProblem(final String subdomain) {
        if (subdomain == null || !SUBDOMAIN.matcher(subdomain.toLowerCase(Locale.ROOT)).matches()) {
            return "a Zendesk subdomain is the first label of {subdomain}.zendesk.com: letters, digits and hyphens";
        }
        return null;
    }

    /**
     * @return null when the base URL is valid, else the reason
     */
    public static String baseUrlProblem(final String baseUrl) {
        try {
            final URI uri = URI.create(baseUrl.trim());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return "the base URL must be an absolute http(s) URL such as https://acme.zendesk.com";
            }
            return null;
        } catch (final IllegalArgumentException e) {
            return "the base URL is not a valid URL";
        }
    }

    /**
     * @param subdomain the subdomain, or null
     * @param baseUrl   a base URL, used when given (it wins over the subdomain)
     * @return the base URL without a trailing slash and without {@code /api/v2}
     */
    public static String baseUrl(final String subdomain, final String baseUrl) {
        if (baseUrl != null && !baseUrl.isBlank()) {
            String trimmed = baseUrl.trim();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            if (trimmed.endsWith("/api/v2")) {
                trimmed = trimmed.substring(0, trimmed.length() - "/api/v2".length());
            }
            return trimmed;
        }
        if (subdomain == null || subdomain.isBlank()) {
            throw new IllegalArgumentException("Either a subdomain or a base URL is required");
        }
        return "https://" + subdomain.trim().toLowerCase(Locale.ROOT) + ".zendesk.com";
    }
}
