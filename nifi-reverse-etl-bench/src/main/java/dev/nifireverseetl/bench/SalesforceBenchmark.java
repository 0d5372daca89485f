package dev.nifireverseetl.bench;

import dev.nifireverseetl.processors.salesforce.PutSalesforce;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * PutSalesforce against the Salesforce emulator (100 ms per request, 25 concurrent long-running requests allowed).
 * <ul>
 *     <li>sObject Collections: 100,000 upserts; {@code salesforce.records_per_request} (the ideal is 200).</li>
 *     <li>Bulk API 2.0: 1,000,000 upserts (--quick: 200,000) in one FlowFile; {@code salesforce.bulk.records_per_s},
 *     {@code salesforce.bulk.jobs} against {@code salesforce.bulk.minimum_jobs} (uploaded CSV bytes / upload limit).</li>
 *     <li>{@code salesforce.lost}: input records that are not in the emulator's store with their values, or that left
 *     through no relationship (must be 0).</li>
 * </ul>
 */
public final class SalesforceBenchmark implements Benchmark {

    private static final String UPSERT_ROUTE = "PATCH /services/data/{version}/composite/sobjects/{sObject}/{externalIdField}";
    private static final long UPLOAD_LIMIT_BYTES = 100L * 1024 * 1024;

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public void run(final BenchContext context) throws Exception {
        long lost = 0;
        final int collectionRecords = 100_000;
        try (SalesforceEmulator emulator = start()) {
            final TestRunner runner = runner(emulator, 0, 25);
            runner.enqueue(rows(0, collectionRecords));
            final long started = System.nanoTime();
            runner.run();
            final double seconds = (System.nanoTime() - started) / 1e9;
            final long requests = emulator.server().metrics().route(UPSERT_ROUTE);
            context.metric("salesforce.records_per_request", (double) collectionRecords / requests);
            context.metric("salesforce.collections.records_per_s", collectionRecords / seconds);
            context.metric("salesforce.max_concurrent_requests", emulator.limits().maxConcurrentSeen());
            lost += lost(runner, emulator, collectionRecords);
        }
        final int bulkRecords = context.quick() ? 200_000 : 1_000_000;
        try (SalesforceEmulator emulator = start()) {
            final TestRunner runner = runner(emulator, 2_000, 25);
            runner.setProperty(PutSalesforce.BULK_MAX_RECORDS, String.valueOf(bulkRecords));
            runner.setProperty(PutSalesforce.BULK_UPLOAD_LIMIT, "100 MB");
            runner.enqueue(rows(0, bulkRecords));
            final long started = System.nanoTime();
            runner.run();
            final double seconds = (System.nanoTime() - started) / 1e9;
            context.metric("salesforce.bulk.records_per_s", bulkRecords / seconds);
            context.metric("salesforce.bulk.jobs", emulator.bulkJobCount());
            context.metric("salesforce.bulk.minimum_jobs", Math.ceil((double) emulator.bulkUploadedBytes() / UPLOAD_LIMIT_BYTES));
            context.metric("salesforce.bulk.api_requests", emulator.server().metrics().requests());
            lost += lost(runner, emulator, bulkRecords);
        }
        context.metric("salesforce.lost", lost);
        context.note("salesforce", collectionRecords + " upserts through sObject Collections and " + bulkRecords
                + " through Bulk API 2.0 (100 MB upload limit), emulator at 100 ms per request with 25 concurrent requests allowed");
    }

    private static SalesforceEmulator start() {
        final SalesforceEmulator emulator = SalesforceEmulator.start();
        emulator.limits().processingMillis(100).concurrentLongRunningRequests(25, 0).dailyApiRequests(10_000_000);
        emulator.bulkDelays(200, 500);
        return emulator;
    }

    private static TestRunner runner(final SalesforceEmulator emulator, final int bulkThreshold, final int concurrentRequests) {
        final TestRunner runner = TestRunners.newTestRunner(PutSalesforce.class);
        try {
            JsonLines.register(runner, "Record Reader", "Record Writer");
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot register the JSON-lines services", e);
        }
        runner.setProperty(PutSalesforce.LOGIN_URL, emulator.baseUrl());
        runner.setProperty(PutSalesforce.CONSUMER_KEY, emulator.auth().consumerKey());
        runner.setProperty(PutSalesforce.CONSUMER_SECRET, emulator.auth().consumerSecret());
        runner.setProperty(PutSalesforce.SOBJECT, "Contact");
        runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "Warehouse_Id__c");
        runner.setProperty(PutSalesforce.MATCH_KEY_FIELD, "warehouse_id");
        runner.setProperty(PutSalesforce.FIELD_MAPPING, "warehouse_id=Warehouse_Id__c,last_name=LastName,first_name=FirstName,email=Email,birthdate=Birthdate,orders=Orders__c");
        runner.setProperty(PutSalesforce.BULK_THRESHOLD, String.valueOf(bulkThreshold));
        runner.setProperty(PutSalesforce.BULK_POLL_INTERVAL, "200 ms");
        runner.setProperty(PutSalesforce.MAX_CONCURRENT_REQUESTS, String.valueOf(concurrentRequests));
        runner.setProperty(PutSalesforce.READ_TIMEOUT, "5 min");
        return runner;
    }

    private static byte[] rows(final int from, final int count) {
        final StringBuilder text = new StringBuilder(count * 140);
        for (int i = from; i < from + count; i++) {
            text.append("{\"warehouse_id\":\"W-").append(i).append("\",\"first_name\":\"Ann").append(i % 97).append("\",\"last_name\":\"Lee").append(i)
                    .append("\",\"email\":\"ann").append(i).append("@example.com\",\"birthdate\":\"1990-03-0").append(1 + i % 9).append("\",\"orders\":")
                    .append(i % 50).append("}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return records that left through no relationship, or are missing from the store or hold other values
     */
    private static long lost(final TestRunner runner, final SalesforceEmulator emulator, final int count) {
        long routed = 0;
        for (final String relationship : List.of("success", "failure", "retry", "superseded")) {
            for (final Map<String, String> attributes : runner.getFlowFilesForRelationship(relationship).stream().map(flowFile -> flowFile.getAttributes()).toList()) {
                routed += Long.parseLong(attributes.getOrDefault("record.count", "0"));
            }
        }
        long missing = Math.max(0, count - routed);
        final List<Map<String, Object>> stored = emulator.store().records("Contact");
        if (stored.size() != count) {
            missing += Math.abs(count - stored.size());
        }
        for (final Map<String, Object> record : stored) {
            final String key = (String) record.get("Warehouse_Id__c");
            final String expected = "Lee" + key.substring(2);
            if (!expected.equals(record.get("LastName"))) {
                missing++;
            }
        }
        return missing;
    }
}
