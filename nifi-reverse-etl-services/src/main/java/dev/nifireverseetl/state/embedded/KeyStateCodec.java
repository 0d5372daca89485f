package dev.nifireverseetl.state.embedded;

import dev.nifireverseetl.state.KeyState;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact binary form of one key's state in the embedded store (no Java serialization). Layout: format byte,
 * outcome byte, accepted version, proposed version (hash texts: 16 bytes for our 128-bit hex versions), proposed run,
 * destination id, last error (strings), then the field count and per field its dictionary number and hash (8 bytes for
 * our 64-bit hex field hashes). A typical key with 10 fields takes about 130 bytes.
 */
final class KeyStateCodec {

    private static final int FORMAT = 1;
    private static final KeyState.Outcome[] OUTCOMES = KeyState.Outcome.values();

    private KeyStateCodec() {
    }

    static byte[] encode(final KeyState state, final FieldNameDictionary dictionary) {
        final CompactOutput output = new CompactOutput();
        output.writeByte(FORMAT);
        output.writeByte(state.lastOutcome() == null ? 0 : state.lastOutcome().ordinal() + 1);
        output.writeHashText(state.acceptedVersion());
        output.writeHashText(state.proposedVersion());
        output.writeString(state.proposedRun());
        output.writeString(state.destinationId());
        output.writeString(state.lastError());
        output.writeVarLong(state.acceptedFieldHashes().size());
        for (final Map.Entry<String, String> field : state.acceptedFieldHashes().entrySet()) {
            output.writeVarLong(dictionary.idOf(field.getKey()));
            output.writeHashText(field.getValue());
        }
        return output.toByteArray();
    }

    static KeyState decode(final String key, final byte[] bytes, final FieldNameDictionary dictionary) {
        return decode(key, bytes, dictionary, null);
    }

    /**
     * @param skipFieldsIfAccepted when the accepted version equals this, the field hashes are not decoded (left empty)
     */
    static KeyState decode(final String key, final byte[] bytes, final FieldNameDictionary dictionary, final String skipFieldsIfAccepted) {
        final CompactInput input = new CompactInput(bytes);
        final int format = input.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("Unknown state format " + format + " in the state store");
        }
        final int outcome = input.readByte();
        final String acceptedVersion = input.readHashText();
        final String proposedVersion = input.readHashText();
        final String proposedRun = input.readString();
        final String destinationId = input.readString();
        final String lastError = input.readString();
        if (skipFieldsIfAccepted != null && skipFieldsIfAccepted.equals(acceptedVersion)) {
            return new KeyState(key, acceptedVersion, Map.of(), destinationId, outcome == 0 ? null : OUTCOMES[outcome - 1],
                    lastError, proposedVersion, proposedRun);
        }
        final int fieldCount = (int) input.readVarLong();
        final Map<String, String> fieldHashes = new LinkedHashMap<>(fieldCount * 2);
        for (int i = 0; i < fieldCount; i++) {
            final String name = dictionary.nameOf((int) input.readVarLong());
            fieldHashes.put(name, input.readHashText());
        }
        return new KeyState(key, acceptedVersion, fieldHashes, destinationId, outcome == 0 ? null : OUTCOMES[outcome - 1],
                lastError, proposedVersion, proposedRun);
    }

    /**
     * @return true when the encoded state holds an accepted version, read without decoding the rest
     */
    static boolean isAccepted(final byte[] bytes) {
        return bytes.length > 2 && bytes[2] != HashTextKind.NULL;
    }
}
