package dev.nifireverseetl.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Locale;

/**
 * The demo's warehouse: a {@code customers} table in a PostgreSQL database, the model query the HubSpot template runs
 * with ExecuteSQLRecord, and the edits the demo makes between runs.
 * <p>
 * ExecuteSQLRecord is NiFi's own processor and is not published to Maven Central, so the demo runs the same query with
 * plain JDBC and writes the result as records of the same shape (one field per column label, JDBC numbers as numbers,
 * text as strings, timestamps as ISO-8601 strings), one JSON object per line.
 */
final class DemoWarehouse {

    /** The model query of templates/reverse-etl/warehouse-to-hubspot-contacts.json (parameter "Model Query"). */
    static final String MODEL_QUERY = "SELECT customer_id, email, first_name, last_name, phone, lifecycle_stage, email AS email_sha256 "
            + "FROM customers ORDER BY customer_id";

    private static final String[] STAGES = {"subscriber", "lead", "customer"};
    private static final JsonFactory JSON = new JsonFactory();

    private final DataSource dataSource;

    DemoWarehouse(final DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the table and loads customers 1..rows.
     */
    void load(final int rows, final PrintStream out) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (customer_id BIGINT PRIMARY KEY, email TEXT NOT NULL, first_name TEXT, last_name TEXT, "
                    + "phone TEXT, lifecycle_stage TEXT, updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())");
        }
        final Progress progress = new Progress(out, "Loading " + rows + " sample customers into the warehouse", rows);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO customers (customer_id, email, first_name, last_name, phone, lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (int id = 1; id <= rows; id++) {
                bindCustomer(insert, id);
                insert.addBatch();
                if (id % 500 == 0 || id == rows) {
                    insert.executeBatch();
                    connection.commit();
                    progress.update(id);
                }
            }
        }
        progress.done(rows + " rows");
    }

    static String email(final long id) {
        return "customer" + id + "@example.com";
    }

    private static void bindCustomer(final PreparedStatement insert, final long id) throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, email(id));
        insert.setString(3, "First" + id % 9973);
        insert.setString(4, "Last" + id % 7919);
        insert.setString(5, String.format(Locale.ROOT, "+1 415 555 %04d", id % 10000));
        insert.setString(6, STAGES[(int) (id % STAGES.length)]);
    }

    /**
     * Sets the lifecycle stage of customers first..first+count-1 to "customer" and renames them.
     */
    int updateCustomers(final long first, final int count) throws SQLException {
        return execute("UPDATE customers SET lifecycle_stage = 'customer', last_name = last_name || '-Upgraded', updated_at = now() "
                + "WHERE customer_id BETWEEN ? AND ?", first, first + count - 1);
    }

    int insertCustomers(final long first, final int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO customers (customer_id, email, first_name, last_name, phone, lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long id = first; id < first + count; id++) {
                bindCustomer(insert, id);
                insert.addBatch();
            }
            return insert.executeBatch().length;
        }
    }

    int deleteCustomers(final long first, final int count) throws SQLException {
        return execute("DELETE FROM customers WHERE customer_id BETWEEN ? AND ?", first, first + count - 1);
    }

    int setEmail(final long customerId, final String email) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE customers SET email = ?, updated_at = now() WHERE customer_id = ?")) {
            update.setString(1, email);
            update.setLong(2, customerId);
            return update.executeUpdate();
        }
    }

    private int execute(final String sql, final long from, final long to) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, from);
            statement.setLong(2, to);
            return statement.executeUpdate();
        }
    }

    /**
     * Runs the model query and writes its rows as JSON lines, as ExecuteSQLRecord with a JSON writer would hand them on.
     */
    Snapshot snapshot() throws SQLException {
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        long rows = 0;
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(MODEL_QUERY);
             JsonGenerator json = JSON.createGenerator(content)) {
            final ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                json.writeStartObject();
                for (int column = 1; column <= columns.getColumnCount(); column++) {
                    json.writeFieldName(columns.getColumnLabel(column));
                    writeValue(json, result, column, columns.getColumnType(column));
                }
                json.writeEndObject();
                json.writeRaw('\n');
                rows++;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Snapshot(content.toByteArray(), rows);
    }

    private static void writeValue(final JsonGenerator json, final ResultSet result, final int column, final int type) throws SQLException, IOException {
        if (result.getObject(column) == null) {
            json.writeNull();
            return;
        }
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> json.writeNumber(result.getLong(column));
            case Types.NUMERIC, Types.DECIMAL, Types.DOUBLE, Types.FLOAT, Types.REAL -> json.writeNumber(result.getBigDecimal(column));
            case Types.BOOLEAN, Types.BIT -> json.writeBoolean(result.getBoolean(column));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                final Timestamp timestamp = result.getTimestamp(column);
                json.writeString(timestamp.toInstant().toString());
            }
            default -> json.writeString(result.getString(column));
        }
    }

    /**
     * One model snapshot: its records as JSON lines, and how many rows it holds.
     */
    record Snapshot(byte[] content, long rows) {
    }
}
