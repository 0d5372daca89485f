package dev.nifireverseetl.processors.engine;

import java.util.List;

/**
 * Items sent in one request: one operation, at most {@link DestinationAdapter#maxBatchSize(WriteOperation)} items, no
 * two items with the same match key (the engine keeps the last version of a key).
 *
 * @param operation the operation of every item
 * @param items     the items, in input order
 */
public record WriteBatch(WriteOperation operation, List<WriteItem> items) {

    public WriteBatch {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("A batch needs at least one item");
        }
        for (final WriteItem item : items) {
            if (item.operation() != operation) {
                throw new IllegalArgumentException("Every item of a batch must have the batch's operation");
            }
        }
    }

    public int size() {
        return items.size();
    }

    /**
     * @return the first half of the items (bisection of a batch that failed as a whole)
     */
    public WriteBatch firstHalf() {
        return new WriteBatch(operation, items.subList(0, items.size() / 2));
    }

    /**
     * @return the second half of the items
     */
    public WriteBatch secondHalf() {
        return new WriteBatch(operation, items.subList(items.size() / 2, items.size()));
    }
}
