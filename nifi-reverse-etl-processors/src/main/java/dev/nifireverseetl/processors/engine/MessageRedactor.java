package dev.nifireverseetl.processors.engine;

import java.util.regex.Pattern;

/**
 * Removes personal data that destinations echo in their error messages (HubSpot's INVALID_EMAIL message repeats the
 * address; conflict messages name values) before a message goes into the sync state, a log or a bulletin. Routed
 * records keep the destination's message as it was: they hold the same data anyway.
 */
public final class MessageRedactor {

    private static final Pattern EMAIL = Pattern.compile("[^\\s\"'<>(),;:]+@[^\\s\"'<>(),;:]+");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");
    private static final int MAX_LENGTH = 500;

    private MessageRedactor() {
    }

    /**
     * @return the message with e-mail addresses and quoted values replaced by {@code [redacted]}, cut to 500 characters
     */
    public static String redact(final String message) {
        if (message == null) {
            return null;
        }
        final String withoutEmails = EMAIL.matcher(message).replaceAll("[redacted]");
        final String withoutQuoted = QUOTED.matcher(withoutEmails).replaceAll("[redacted]");
        return withoutQuoted.length() > MAX_LENGTH ? withoutQuoted.substring(0, MAX_LENGTH) + "..." : withoutQuoted;
    }
}
