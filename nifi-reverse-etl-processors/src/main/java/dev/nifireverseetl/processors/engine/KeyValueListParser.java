package dev.nifireverseetl.processors.engine;

import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the comma-separated {@code name=value} lists of the Field Mapping and Field Ownership properties.
 */
public final class KeyValueListParser {

    /** Validates a {@code name=value, name=value} list. */
    public static final Validator VALIDATOR = (subject, input, context) -> {
        try {
            parse(input);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    };

    private KeyValueListParser() {
    }

    /**
     * @return the pairs in order; an empty map for null or blank text
     * @throws IllegalArgumentException when an entry is not {@code name=value} or a name repeats
     */
    public static Map<String, String> parse(final String text) {
        final Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return pairs;
        }
        for (final String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            final int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("Entry '" + entry.trim() + "' is not name=value");
            }
            final String name = entry.substring(0, equals).trim();
            final String value = entry.substring(equals + 1).trim();
            if (name.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException("Entry '" + entry.trim() + "' is not name=value");
            }
            if (pairs.put(name, value) != null) {
                throw new IllegalArgumentException("Name '" + name + "' appears twice");
            }
        }
        return pairs;
    }

    /**
     * Parses a Field Ownership value: destination field to one of "always", "on create only", "if empty".
     */
    public static Map<String, FieldOwnership> parseOwnership(final String text) {
        final Map<String, FieldOwnership> ownership = new LinkedHashMap<>();
        for (final Map.Entry<String, String> pair : parse(text).entrySet()) {
            FieldOwnership found = null;
            for (final FieldOwnership candidate : FieldOwnership.values()) {
                if (candidate.getValue().equalsIgnoreCase(pair.getValue())) {
                    found = candidate;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("Ownership of '" + pair.getKey() + "' must be one of: always, on create only, if empty");
            }
            ownership.put(pair.getKey(), found);
        }
        return ownership;
    }

    /** Validates a Field Ownership value. */
    public static final Validator OWNERSHIP_VALIDATOR = (subject, input, context) -> {
        try {
            parseOwnership(input);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    };
}
