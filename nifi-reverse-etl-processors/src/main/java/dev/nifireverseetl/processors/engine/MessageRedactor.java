package dev.nifireverseetl.processors.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
     * Replaces the given record values (and e-mail addresses and quoted values) in the message.
     *
     * @param values values of the records the message may be about (values shorter than 3 characters are kept)
     */
    public static String redact(final String message, final Collection<?> values) {
        if (message == null) {
            return null;
        }
        String redacted = message;
        for (final Object value : values) {
            final String text = value == null ? null : value.toString();
            if (text != null && text.length() >= 3) {
                redacted = redacted.replace(text, "[redacted]");
            }
        }
        return redact(redacted);
    }

    /**
     * @return every value of the record's fields and its match key, for {@link #redact(String, Collection)}
     */
    public static List<Object> valuesOf(final EngineRecord record) {
        final List<Object> values = new ArrayList<>(record.fields().values());
        values.add(record.matchKey());
        for (final Map.Entry<String, Object> entry : record.record().toMap().entrySet()) {
            values.add(entry.getValue());
        }
        return values;
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
