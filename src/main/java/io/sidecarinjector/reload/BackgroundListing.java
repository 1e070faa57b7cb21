package io.sidecarinjector.reload;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidecarinjector.support.Mappers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the service reads from the API server beside requests (nodes, ProxyConfig resources): read on a thread of
 * its own, at most once per period and only when asked, so that no request waits for the API server. Until a read
 * succeeds, and after one fails, the value is the one given for none; the first failure is reported once.
 *
 * @param <T> what the answer is read into
 */
final class BackgroundListing<T> {

    private final String threadName;
    private final Supplier<String> read;
    private final Function<JsonNode, T> parse;
    private final T none;
    private final Consumer<Throwable> firstFailure;

    private volatile T value;
    private final AtomicLong readAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean reading = new AtomicBoolean(false);
    private final AtomicBoolean reported = new AtomicBoolean(false);
    private final CountDownLatch first = new CountDownLatch(1);

    /**
     * @param threadName the name of the thread that reads
     * @param read the API server's JSON answer (a raw GET), or null for none
     * @param parse the answer read into the value
     * @param none the value before a read succeeds, and after one fails
     * @param firstFailure told of the first failure only
     */
    BackgroundListing(
            String threadName,
            Supplier<String> read,
            Function<JsonNode, T> parse,
            T none,
            Consumer<Throwable> firstFailure) {
        this.threadName = threadName;
        this.read = read;
        this.parse = parse;
        this.none = none;
        this.firstFailure = firstFailure;
        this.value = none;
    }

    /** The value as last read; starts a read when none was made within the period. */
    T current(long periodNanos) {
        long last = readAt.get();
        if ((last == Long.MIN_VALUE || System.nanoTime() - last > periodNanos) && reading.compareAndSet(false, true)) {
            Thread thread = new Thread(this::refresh, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        return value;
    }

    /** Waits at most this long for the first read to end, successful or not. */
    void awaitFirst(long millis) {
        try {
            first.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean firstReadEnded() {
        return first.getCount() == 0;
    }

    private void refresh() {
        try {
            String json = read.get();
            value = json == null ? none : parse.apply(Mappers.JSON.readTree(json));
        } catch (RuntimeException | java.io.IOException | LinkageError e) {
            if (reported.compareAndSet(false, true)) {
                firstFailure.accept(e);
            }
            value = none;
        } finally {
            readAt.set(System.nanoTime());
            reading.set(false);
            first.countDown();
        }
    }
}
