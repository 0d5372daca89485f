package dev.nifireverseetl.state.embedded;

import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers the field names of one sync, so each stored key holds a small number per field instead of its name. The
 * numbering is append-only and persisted in the store next to the sync's keys.
 */
final class FieldNameDictionary {

    private final MVMap<String, Integer> persisted;
    private final Map<String, Integer> idsByName = new ConcurrentHashMap<>();
    private volatile List<String> namesById;

    FieldNameDictionary(final MVMap<String, Integer> persisted) {
        this.persisted = persisted;
        final List<String> names = new ArrayList<>();
        for (final Map.Entry<String, Integer> entry : persisted.entrySet()) {
            idsByName.put(entry.getKey(), entry.getValue());
            while (names.size() <= entry.getValue()) {
                names.add(null);
            }
            names.set(entry.getValue(), entry.getKey());
        }
        this.namesById = List.copyOf(names.stream().map(name -> name == null ? "" : name).toList());
    }

    int idOf(final String name) {
        final Integer known = idsByName.get(name);
        return known != null ? known : assign(name);
    }

    String nameOf(final int id) {
        final List<String> names = namesById;
        if (id >= names.size()) {
            throw new IllegalStateException("The state store refers to unknown field number " + id);
        }
        return names.get(id);
    }

    private synchronized int assign(final String name) {
        final Integer known = idsByName.get(name);
        if (known != null) {
            return known;
        }
        final int id = namesById.size();
        persisted.put(name, id);
        final List<String> names = new ArrayList<>(namesById);
        names.add(name);
        namesById = List.copyOf(names);
        idsByName.put(name, id);
        return id;
    }
}
