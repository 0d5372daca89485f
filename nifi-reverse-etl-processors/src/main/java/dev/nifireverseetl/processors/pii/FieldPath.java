package dev.nifireverseetl.processors.pii;

import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A field chosen by name ({@code email}) or by a path of nested record fields ({@code /contact/email}). RecordPath is
 * not available outside NiFi's standard bundle, so only plain child steps are supported: no arrays, maps, filters or
 * wildcards.
 */
public final class FieldPath {

    private final String text;
    private final String[] parents;
    private final String leaf;

    private FieldPath(final String text, final String[] parents, final String leaf) {
        this.text = text;
        this.parents = parents;
        this.leaf = leaf;
    }

    /**
     * @param text a field name, or a path of field names each preceded by {@code /}
     * @throws IllegalArgumentException when a step is empty or uses RecordPath syntax this processor does not support
     */
    public static FieldPath parse(final String text) {
        final String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the field name is empty");
        }
        final String withoutSlash = trimmed.startsWith("/") ? trimmed.substring(1) : trimmed;
        if (!trimmed.startsWith("/") && withoutSlash.contains("/")) {
            throw new IllegalArgumentException("a nested path must start with '/', for example /contact/email");
        }
        final String[] steps = withoutSlash.split("/", -1);
        for (final String step : steps) {
            if (step.isBlank()) {
                throw new IllegalArgumentException("the path has an empty step");
            }
            for (final char unsupported : new char[] {'[', ']', '*', '(', ')', '\'', '"'}) {
                if (step.indexOf(unsupported) >= 0) {
                    throw new IllegalArgumentException("only plain nested field names are supported (no arrays, maps, filters or functions)");
                }
            }
            if (".".equals(step) || "..".equals(step)) {
                throw new IllegalArgumentException("'.' and '..' steps are not supported");
            }
        }
        final String[] parents = new String[steps.length - 1];
        System.arraycopy(steps, 0, parents, 0, parents.length);
        return new FieldPath(trimmed, parents, steps[steps.length - 1]);
    }

    /**
     * @return the path as the user wrote it, used in error messages
     */
    public String text() {
        return text;
    }

    /**
     * @return true when the path names a sync field (prefix {@code _retl_}) at any step
     */
    public boolean touchesSyncField(final String prefix) {
        if (leaf.startsWith(prefix)) {
            return true;
        }
        for (final String parent : parents) {
            if (parent.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the record that holds the leaf field, or null when a parent is absent or not a record
     */
    public Record parentOf(final Record record) {
        Record current = record;
        for (final String parent : parents) {
            final Object value = current.getValue(parent);
            if (!(value instanceof Record child)) {
                return null;
            }
            current = child;
        }
        return current;
    }

    public String leaf() {
        return leaf;
    }

    /**
     * @return the schema with the leaf field (when present) turned into a nullable STRING, nested schemas rebuilt on
     * the way; the same schema when nothing changes
     */
    public RecordSchema toStringField(final RecordSchema schema) {
        return retype(schema, 0);
    }

    private RecordSchema retype(final RecordSchema schema, final int depth) {
        final String name = depth < parents.length ? parents[depth] : leaf;
        final Optional<RecordField> existing = schema.getField(name);
        if (existing.isEmpty()) {
            return schema;
        }
        final RecordField field = existing.get();
        final DataType newType;
        if (depth < parents.length) {
            if (!(field.getDataType() instanceof RecordDataType recordType) || recordType.getChildSchema() == null) {
                return schema;
            }
            final RecordSchema child = retype(recordType.getChildSchema(), depth + 1);
            if (child == recordType.getChildSchema()) {
                return schema;
            }
            newType = RecordFieldType.RECORD.getRecordDataType(child);
        } else {
            if (field.getDataType().getFieldType() == RecordFieldType.STRING && field.isNullable()) {
                return schema;
            }
            newType = RecordFieldType.STRING.getDataType();
        }
        final List<RecordField> fields = new ArrayList<>(schema.getFieldCount());
        for (final RecordField candidate : schema.getFields()) {
            if (candidate == field) {
                fields.add(new RecordField(field.getFieldName(), newType, field.getDefaultValue(), field.getAliases(), true));
            } else {
                fields.add(candidate);
            }
        }
        final SimpleRecordSchema rebuilt = new SimpleRecordSchema(fields);
        schema.getSchemaName().ifPresent(rebuilt::setSchemaName);
        schema.getSchemaNamespace().ifPresent(rebuilt::setSchemaNamespace);
        return rebuilt;
    }

    @Override
    public String toString() {
        return text;
    }
}
