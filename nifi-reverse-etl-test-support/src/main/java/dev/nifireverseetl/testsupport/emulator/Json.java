package dev.nifireverseetl.testsupport.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON helpers for emulators.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * @param keysAndValues alternating field names and values (strings, numbers, booleans, JsonNodes or null)
     */
    public static ObjectNode object(final Object... keysAndValues) {
        final ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            node.set(String.valueOf(keysAndValues[i]), MAPPER.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }
}
