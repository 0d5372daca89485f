package dev.nifireverseetl.state;

import java.util.Map;
import java.util.Set;

/**
 * The answer to {@link SyncRun#markSeen}: the state of the keys that have one, and the keys the run had seen before.
 *
 * @param states       the state of each key that has one; new keys are absent
 * @param alreadySeen  keys that an earlier call of the same run had marked seen (duplicates within the snapshot);
 *                     callers detect repeats inside one batch themselves
 */
public record SeenKeys(Map<String, KeyState> states, Set<String> alreadySeen) {

    public SeenKeys {
        states = states == null ? Map.of() : states;
        alreadySeen = alreadySeen == null ? Set.of() : alreadySeen;
    }
}
