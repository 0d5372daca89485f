package dev.nifireverseetl.processors.zendesk;

import org.apache.nifi.components.DescribedValue;

/**
 * What happens to the Zendesk user of a row that left the model.
 */
public enum UserRemovalAction implements DescribedValue {
    SUSPEND("suspend", "Suspend the user (update_many with suspended=true): reversible, tickets and history stay."),
    DELETE("delete", "Delete the user (destroy_many): Zendesk soft-deletes; not reversible through the API.");

    private final String value;
    private final String description;

    UserRemovalAction(final String value, final String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public String getDisplayName() {
        return value;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
