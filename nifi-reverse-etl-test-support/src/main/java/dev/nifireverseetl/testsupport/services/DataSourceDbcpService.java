package dev.nifireverseetl.testsupport.services;

import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.dbcp.DBCPService;
import org.apache.nifi.processor.exception.ProcessException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A test-only DBCPService over any DataSource (NiFi's DBCPConnectionPool is not on Maven Central), for example the
 * embedded PostgreSQL of {@link TestPostgres}.
 */
public class DataSourceDbcpService extends AbstractControllerService implements DBCPService {

    private final DataSource dataSource;

    public DataSourceDbcpService(final DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws ProcessException {
        try {
            return dataSource.getConnection();
        } catch (final SQLException e) {
            throw new ProcessException("Cannot open a database connection", e);
        }
    }
}
