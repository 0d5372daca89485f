package dev.nifireverseetl.state;

import java.util.Map;

/**
 * What the state holds for one row key.
 *
 * @param key                  the canonical row key
 * @param acceptedVersion      hash of the row version the destination last accepted, or null when none was accepted yet
 * @param acceptedFieldHashes  per-field hashes of that accepted version (field name to hash); empty when none
 * @param destinationId        the destination record id once known, or null
 * @param lastOutcome          the last outcome recorded for the key
 * @param lastError            the destination's error for the last failure, or null
 * @param proposedVersion      the version the latest diff run proposed for this key, or null
 * @param proposedRun          the run that proposed it, or null
 */
public record KeyState(String key, String acceptedVersion, Map<String, String> acceptedFieldHashes, String destinationId,
                       Outcome lastOutcome, String lastError, String proposedVersion, String proposedRun) {

    public KeyState {
        acceptedFieldHashes = acceptedFieldHashes == null ? Map.of() : Map.copyOf(acceptedFieldHashes);
    }

    /**
     * @return true when a version of this key was accepted by the destination at some point
     */
    public boolean isAccepted() {
        return acceptedVersion != null;
    }

    /**
     * The last outcome recorded for a key.
     */
    public enum Outcome {
        /** A diff run proposed a version; no destination outcome is known for it yet. */
        PROPOSED,
        /** The destination accepted the accepted version. */
        ACCEPTED,
        /** The destination rejected the last version sent (the accepted version, if any, is unchanged). */
        FAILED
    }
}
