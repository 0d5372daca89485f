package dev.nifireverseetl.processors.resolve;

import org.apache.nifi.components.DescribedValue;

/**
 * The destination whose record ids ResolveExternalIds looks up.
 */
public enum ResolveDestination implements DescribedValue {
    HUBSPOT("HubSpot", "HubSpot CRM objects: batch/read by a unique property (or email for contacts), 100 values per request."),
    ZENDESK("Zendesk", "Zendesk users or organizations: show_many by external_id (100 values per request), or users/search by email (one value per request)."),
    SALESFORCE("Salesforce", "Any Salesforce sObject, by any filterable text field: SOQL SELECT Id ... WHERE field IN (...), up to 200 values per "
            + "query, pages followed through nextRecordsUrl.");

    private final String value;
    private final String description;

    ResolveDestination(final String value, final String description) {
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
