package dev.nifireverseetl.reliability;

/**
 * One row of a scenario's warehouse model: a stable key and two values a sync may change.
 */
record ModelRow(String key, String first, String last) {

    String email() {
        return key + "@example.com";
    }
}
