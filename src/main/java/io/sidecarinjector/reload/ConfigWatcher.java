package io.sidecarinjector.reload;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sidecarinjector.config.ServiceSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Loads the configuration at start-up, then looks at the files again every {@code injector.reload.interval}.
 * Polling reads three small files; it sees a ConfigMap's symlink swap as any other change, and unlike file-system
 * events it cannot miss one.
 */
@ApplicationScoped
public class ConfigWatcher {

    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);

    @Inject
    ActiveConfigHolder holder;

    @Inject
    ServiceSettings settings;

    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        holder.reloadIfChanged();
        if (settings.configFile().isEmpty()
                && settings.meshFile().isEmpty()
                && settings.valuesFile().isEmpty()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "config-watcher");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.reloadInterval().toMillis();
        executor.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            holder.reloadIfChanged();
        } catch (RuntimeException e) {
            // a poll must never stop the schedule
            LOG.error("configuration poll failed", e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
