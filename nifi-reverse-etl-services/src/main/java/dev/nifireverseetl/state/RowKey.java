package dev.nifireverseetl.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Objects;

/**
 * A row key: the values of the key fields, in the order the key fields are configured. Its canonical form is a JSON
 * array of strings (for example {@code ["acme","42"]}), which is reversible, so removals can rebuild the key fields.
 */
public final class RowKey {

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final List<String> values;

    private RowKey(final List<String> values) {
        this.values = List.copyOf(values);
    }

    /**
     * @param values the key field values, none null
     */
    public static RowKey of(final List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("A row key needs at least one value");
        }
        for (final String value : values) {
            Objects.requireNonNull(value, "A row key value cannot be null");
        }
        return new RowKey(values);
    }

    /**
     * Parses a canonical key.
     *
     * @throws IllegalArgumentException when the text is not a canonical key
     */
    public static RowKey parse(final String canonical) {
        try {
            return of(OBJECT_MAPPER.readValue(canonical, STRING_LIST));
        } catch (final JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("Not a canonical row key (a JSON array of strings expected)");
        }
    }

    public List<String> values() {
        return values;
    }

    /**
     * @return the canonical form, a JSON array of strings
     */
    public String canonical() {
        try {
            return OBJECT_MAPPER.writeValueAsString(values);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a list of strings", e);
        }
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof RowKey rowKey && values.equals(rowKey.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "RowKey[" + values.size() + " values]";
    }
}
