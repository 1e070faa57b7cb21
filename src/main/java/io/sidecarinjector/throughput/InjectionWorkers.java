package io.sidecarinjector.throughput;

import io.sidecarinjector.config.ServiceSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads that inject pods, off the event loop, and the bound on pods in injection: a few threads (one per
 * processor by default, {@code injector.injection-threads}), so that a large pod never holds up the loop and a
 * burst of new pods never starves it; and at most {@code injector.max-pending-injections} pods in injection or
 * waiting for a thread, so that overload is refused at once rather than queued.
 */
@Singleton
public class InjectionWorkers {

    @Inject
    ServiceSettings settings;

    /** Pods in injection or waiting for a thread. */
    private final AtomicInteger pending = new AtomicInteger();

    private ExecutorService threads;

    @PostConstruct
    void start() {
        int count = settings.injectionThreads() > 0
                ? settings.injectionThreads()
                : Runtime.getRuntime().availableProcessors();
        AtomicInteger number = new AtomicInteger();
        // the queue is bounded by the pending count above, not by the executor
        threads = Executors.newFixedThreadPool(count, r -> {
            Thread thread = new Thread(r, "injector-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        threads.shutdown();
    }

    /**
     * Runs the work on an injector thread, or, on the calling thread, {@code overloaded} (given the number of pods in
     * injection) instead when the bound is reached or the threads have stopped (at shutdown).
     */
    public void submit(Runnable work, IntConsumer overloaded) {
        int inInjection = pending.incrementAndGet();
        if (inInjection > settings.maxPendingInjections()) {
            pending.decrementAndGet();
            overloaded.accept(inInjection - 1);
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    work.run();
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            overloaded.accept(inInjection - 1);
        }
    }
}
