package dev.nifireverseetl.processors.diff;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * JSON string quoting for the few names DiffRecords writes into its JSON sync fields by hand.
 */
final class JsonText {

    private JsonText() {
    }

    static String quote(final String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
