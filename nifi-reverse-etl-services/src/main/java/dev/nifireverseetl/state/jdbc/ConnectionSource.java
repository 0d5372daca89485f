package dev.nifireverseetl.state.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the JDBC store gets its connections (NiFi's DBCPService in the service, a DataSource in tools and tests).
 * Each connection is closed by the store after use.
 */
@FunctionalInterface
public interface ConnectionSource {

    Connection getConnection() throws SQLException;
}
