package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * One Bulk API 2.0 ingest job: its settings, its state ({@code Open → UploadComplete → InProgress → JobComplete |
 * Failed}, or {@code Aborted}), the uploaded CSV and, once processed, the per-row results.
 */
final class BulkIngestJob {

    enum State {
        Open, UploadComplete, InProgress, JobComplete, Failed, Aborted;

        boolean terminal() {
            return this == JobComplete || this == Failed || this == Aborted;
        }
    }

    /**
     * One row's outcome: the original cells, and either an id and created flag, or an error.
     */
    record RowResult(String[] cells, String id, boolean created, RecordError error) {
    }

    final String id;
    final String object;
    final String operation;
    final String externalIdFieldName;
    final String apiVersion;
    final char delimiter;
    final String columnDelimiter;
    final String lineEnding;
    final String createdDate;
    State state = State.Open;
    byte[] data;
    long closedAtMillis;
    String errorMessage;
    String failureToInject;
    BulkJobFate fate = BulkJobFate.COMPLETE;
    String[] header;
    final List<RowResult> successful = new ArrayList<>();
    final List<RowResult> failed = new ArrayList<>();
    final List<String[]> unprocessed = new ArrayList<>();
    long processingMillis;

    BulkIngestJob(final String id, final String object, final String operation, final String externalIdFieldName, final String apiVersion,
                  final String columnDelimiter, final String lineEnding, final String createdDate) {
        this.id = id;
        this.object = object;
        this.operation = operation;
        this.externalIdFieldName = externalIdFieldName;
        this.apiVersion = apiVersion;
        this.columnDelimiter = columnDelimiter;
        this.delimiter = delimiterChar(columnDelimiter);
        this.lineEnding = lineEnding;
        this.createdDate = createdDate;
    }

    static char delimiterChar(final String columnDelimiter) {
        return switch (columnDelimiter) {
            case "BACKQUOTE" -> '`';
            case "CARET" -> '^';
            case "PIPE" -> '|';
            case "SEMICOLON" -> ';';
            case "TAB" -> '\t';
            default -> ',';
        };
    }

    ObjectNode info() {
        final ObjectNode info = Json.MAPPER.createObjectNode();
        info.put("id", id);
        info.put("operation", operation);
        info.put("object", object);
        info.put("createdById", "0055g00000EMULAAA");
        info.put("createdDate", createdDate);
        info.put("systemModstamp", createdDate);
        info.put("state", state.name());
        if (externalIdFieldName != null) {
            info.put("externalIdFieldName", externalIdFieldName);
        }
        info.put("concurrencyMode", "Parallel");
        info.put("contentType", "CSV");
        info.put("apiVersion", Double.parseDouble(apiVersion.substring(1)));
        info.put("contentUrl", "services/data/" + apiVersion + "/jobs/ingest/" + id + "/batches");
        info.put("lineEnding", lineEnding);
        info.put("columnDelimiter", columnDelimiter);
        info.put("jobType", "V2Ingest");
        info.put("numberRecordsProcessed", successful.size() + failed.size());
        info.put("numberRecordsFailed", failed.size());
        info.put("retries", 0);
        info.put("totalProcessingTime", processingMillis);
        info.put("apiActiveProcessingTime", processingMillis);
        info.put("apexProcessingTime", 0);
        if (errorMessage != null) {
            info.put("errorMessage", errorMessage);
        }
        return info;
    }
}
