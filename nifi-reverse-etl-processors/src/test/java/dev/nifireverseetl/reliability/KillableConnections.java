package dev.nifireverseetl.reliability;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A DataSource over the test PostgreSQL database whose connections can be killed inside their next commit on the
 * calling thread: just before the commit, another session terminates the connection's backend
 * ({@code pg_terminate_backend}), so the server aborts the transaction and the commit fails, as when a database node or
 * the network dies mid-commit.
 */
final class KillableConnections implements DataSource {

    private final DataSource dataSource;
    private final ThreadLocal<Boolean> killNextCommit = ThreadLocal.withInitial(() -> false);
    private volatile int kills;

    KillableConnections(final DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The next commit made on this thread fails because its connection is killed.
     */
    void killNextCommitOnThisThread() {
        killNextCommit.set(true);
    }

    void disarm() {
        killNextCommit.set(false);
    }

    int kills() {
        return kills;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(dataSource.getConnection());
    }

    @Override
    public Connection getConnection(final String username, final String password) throws SQLException {
        return wrap(dataSource.getConnection(username, password));
    }

    private Connection wrap(final Connection connection) {
        final InvocationHandler handler = (proxy, method, arguments) -> {
            if ("commit".equals(method.getName()) && killNextCommit.get()) {
                killNextCommit.set(false);
                terminate(connection);
                kills++;
            }
            try {
                return method.invoke(connection, arguments);
            } catch (final InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, handler);
    }

    private void terminate(final Connection victim) throws SQLException {
        final int pid;
        try (PreparedStatement statement = victim.prepareStatement("SELECT pg_backend_pid()"); ResultSet result = statement.executeQuery()) {
            result.next();
            pid = result.getInt(1);
        }
        try (Connection killer = dataSource.getConnection(); PreparedStatement statement = killer.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.executeQuery().close();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(final PrintWriter out) throws SQLException {
        dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(final int seconds) throws SQLException {
        dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(final Class<T> type) throws SQLException {
        return dataSource.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(final Class<?> type) throws SQLException {
        return dataSource.isWrapperFor(type);
    }
}
