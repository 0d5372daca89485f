package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.hubspot.HubSpotAdapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot lookups: {@code POST /crm/v3/objects/{type}/batch/read?archived=false} with {@code idProperty} (a unique
 * property, or email for contacts), 100 values per request, built and parsed by PutHubSpot's own adapter. Never the
 * search endpoint: it is eventually consistent (a record written seconds ago may be missing) and has its own, lower
 * limit. Values HubSpot does not know come back as OBJECT_NOT_FOUND errors of a 207 and are simply absent. A unique
 * property cannot match two records, so HubSpot lookups are never ambiguous.
 */
final class HubSpotLookup implements LookupAdapter {

    static final int MAX_VALUES = 100;
    private static final String RECORD_ID = "hs_object_id";

    private final HubSpotAdapter adapter;

    HubSpotLookup(final HubSpotAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public DestinationAdapter writeAdapter() {
        return adapter;
    }

    @Override
    public int maxValuesPerRequest() {
        return MAX_VALUES;
    }

    @Override
    public String comparable(final String matchValue) {
        return matchValue.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public HttpRequestSpec buildLookup(final List<String> values) {
        return adapter.buildCurrentValuesRequest(items(values), Set.of(RECORD_ID));
    }

    @Override
    public LookupPage parseLookup(final List<String> values, final HttpResponseData response) {
        final Map<String, Map<String, String>> found;
        try {
            found = adapter.parseCurrentValues(items(values), response);
        } catch (final DestinationAdapter.CurrentValuesFailure e) {
            return LookupPage.failed(e.failure());
        }
        final LookupPage.Builder page = new LookupPage.Builder();
        for (int index = 0; index < values.size(); index++) {
            final Map<String, String> properties = found.get(String.valueOf(index));
            if (properties != null) {
                page.add(comparable(values.get(index)), properties.get(RECORD_ID));
            }
        }
        return page.build(null);
    }

    private static List<WriteItem> items(final List<String> values) {
        final List<WriteItem> items = new ArrayList<>(values.size());
        for (int index = 0; index < values.size(); index++) {
            items.add(new WriteItem(String.valueOf(index), values.get(index), null, WriteOperation.UPDATE, Map.of()));
        }
        return items;
    }
}
