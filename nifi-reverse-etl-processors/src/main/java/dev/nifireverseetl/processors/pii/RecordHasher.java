package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.InvalidValueException;
import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.serialization.record.Record;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * HashPII's core, applied to one record at a time between a record reader and a writer (by the processor and by the
 * benchmark alike). For each configured field: skip nulls, clear blanks (an empty string is never hashed), keep
 * values that are already SHA-256 hex, otherwise normalise with the preset's rule and hash (or keep in the clear).
 * When a value cannot be normalised the record is either left unchanged and marked with the error fields
 * ({@link InvalidValueHandling#ROUTE_TO_FAILURE}) or the field is cleared ({@link InvalidValueHandling#CLEAR_FIELD}).
 * Error messages name the field and the rule, never the value. Not thread-safe: one per thread.
 */
public final class RecordHasher {

    private static final Object CLEARED = new Object();

    private final PiiField[] fields;
    private final boolean routeInvalidToFailure;
    private final ValueHasher valueHasher;
    private final Object[] pending;
    private final String presetName;

    private long hashedCount;
    private long alreadyHashedCount;
    private long clearTextCount;
    private long invalidCount;

    RecordHasher(final HashingPlan plan, final ValueHasher valueHasher) {
        this.fields = plan.fields().toArray(new PiiField[0]);
        this.routeInvalidToFailure = plan.invalidValueHandling() == InvalidValueHandling.ROUTE_TO_FAILURE;
        this.valueHasher = valueHasher;
        this.pending = new Object[fields.length];
        this.presetName = plan.preset().getDisplayName();
    }

    /**
     * Normalises and hashes the record's configured fields in place.
     *
     * @return true when the record belongs in success; false when it holds an invalid value and goes to failure, in
     * which case its values are unchanged and {@code _retl_error_code} / {@code _retl_error_message} are set
     */
    public boolean apply(final Record record) {
        String errorCode = null;
        StringBuilder errorMessage = null;
        int invalidInRecord = 0;
        for (int index = 0; index < fields.length; index++) {
            final PiiField field = fields[index];
            pending[index] = null;
            final Record parent = field.path().parentOf(record);
            if (parent == null) {
                continue;
            }
            final Object raw = parent.getValue(field.path().leaf());
            if (raw == null) {
                continue;
            }
            try {
                pending[index] = transform(field, raw);
            } catch (final InvalidValueException e) {
                invalidInRecord++;
                if (routeInvalidToFailure) {
                    if (errorCode == null) {
                        errorCode = "pii_" + e.rule();
                        errorMessage = new StringBuilder();
                    } else {
                        errorMessage.append("; ");
                    }
                    errorMessage.append("field '").append(field.path().text()).append("' (").append(field.type().getValue()).append(", ")
                            .append(e.rule()).append("): ").append(e.getMessage());
                } else {
                    pending[index] = CLEARED;
                }
            }
        }
        invalidCount += invalidInRecord;
        if (errorCode != null) {
            record.setValue(SyncRecordFields.ERROR_CODE, errorCode);
            record.setValue(SyncRecordFields.ERROR_MESSAGE, "HashPII (" + presetName + "): " + errorMessage);
            return false;
        }
        for (int index = 0; index < fields.length; index++) {
            final Object value = pending[index];
            if (value != null) {
                final Record parent = fields[index].path().parentOf(record);
                parent.setValue(fields[index].path().leaf(), value == CLEARED ? null : value);
                pending[index] = null;
            }
        }
        return true;
    }

    private Object transform(final PiiField field, final Object raw) throws InvalidValueException {
        final String text = asText(raw);
        if (text.isBlank()) {
            return CLEARED;
        }
        if (field.hashedOutput()) {
            final String stripped = text.strip();
            if (ValueHasher.isSha256Hex(stripped)) {
                alreadyHashedCount++;
                return stripped.toLowerCase(Locale.ROOT);
            }
        }
        final String normalized = field.rule().normalizer().normalize(text);
        if (field.hmac()) {
            hashedCount++;
            return valueHasher.hmacSha256Hex(normalized);
        }
        if (field.rule().hashed()) {
            hashedCount++;
            return valueHasher.sha256Hex(normalized);
        }
        clearTextCount++;
        return normalized;
    }

    private static String asText(final Object raw) throws InvalidValueException {
        if (raw instanceof String text) {
            return text;
        }
        if (raw instanceof Record || raw instanceof Map<?, ?> || raw instanceof Collection<?> || raw instanceof Object[]) {
            throw new InvalidValueException("not_a_single_value", "the field holds a record, map or array instead of a single value");
        }
        if (raw instanceof Date date) {
            return date.toLocalDate().toString();
        }
        if (raw instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toLocalDate().toString();
        }
        if (raw instanceof LocalDateTime dateTime) {
            return dateTime.toLocalDate().toString();
        }
        if (raw instanceof OffsetDateTime dateTime) {
            return dateTime.toLocalDate().toString();
        }
        if (raw instanceof ZonedDateTime dateTime) {
            return dateTime.toLocalDate().toString();
        }
        if (raw instanceof LocalDate date) {
            return date.toString();
        }
        return raw.toString();
    }

    /**
     * @return values hashed (SHA-256 or HMAC) since this hasher was made
     */
    public long hashedCount() {
        return hashedCount;
    }

    /**
     * @return values left alone because they already were 64 hex characters
     */
    public long alreadyHashedCount() {
        return alreadyHashedCount;
    }

    /**
     * @return values normalised and kept in the clear (Google's country, postal code, city, state)
     */
    public long clearTextCount() {
        return clearTextCount;
    }

    /**
     * @return values that could not be normalised (in failed records, or cleared)
     */
    public long invalidCount() {
        return invalidCount;
    }
}
