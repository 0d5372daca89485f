package dev.nifireverseetl.processors.engine.http;

import org.apache.nifi.logging.ComponentLog;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon thread pool that carries a processor's concurrent requests (writes or lookups), and its orderly stop.
 */
public final class RequestThreads {

    private static final long STOP_WAIT_SECONDS = 10;

    private RequestThreads() {
    }

    /**
     * @param count       threads in the pool
     * @param namePrefix  thread names are this prefix plus a running number
     */
    public static ExecutorService start(final int count, final String namePrefix) {
        final AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(count, runnable -> {
            final Thread thread = new Thread(runnable, namePrefix + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Interrupts the pool's requests and waits up to 10 seconds for them to end; does nothing for a null pool.
     */
    public static void stop(final ExecutorService threads, final ComponentLog logger) {
        if (threads == null) {
            return;
        }
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                logger.warn("Request threads did not stop within {} seconds", STOP_WAIT_SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
