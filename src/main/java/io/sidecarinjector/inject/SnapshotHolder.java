package io.sidecarinjector.inject;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.qute.Engine;
import io.quarkus.runtime.StartupEvent;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InjectorSettings;
import io.sidecarinjector.config.InvalidConfigException;

/**
 * The configuration in service. It is swapped whole; a request takes the snapshot once and keeps it. A
 * configuration that fails validation never replaces a good one.
 */
@ApplicationScoped
public class SnapshotHolder {

    private static final Logger LOG = Logger.getLogger(SnapshotHolder.class);

    private final AtomicReference<InjectorSnapshot> current = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    @Inject
    Engine engine;

    @Inject
    InjectorSettings settings;

    void onStart(@Observes StartupEvent event) {
        reload();
    }

    /** Loads the configuration files; on failure the previous snapshot stays in service. */
    public boolean reload() {
        try {
            InjectorSnapshot snapshot = SnapshotFactory.build(engine,
                    ConfigFiles.load(settings.configFile(), settings.meshFile()));
            InjectorSnapshot previous = current.getAndSet(snapshot);
            lastError.set(null);
            snapshot.policy().configProblems().forEach(LOG::warn);
            if (previous == null || !previous.revision().equals(snapshot.revision())) {
                LOG.infof("configuration revision %s in service", snapshot.revision());
            }
            return true;
        } catch (InvalidConfigException | RuntimeException e) {
            lastError.set(e.getMessage());
            LOG.errorf("configuration rejected, %s: %s", current.get() == null ? "no configuration in service"
                    : "revision " + current.get().revision() + " stays in service", e.getMessage());
            return false;
        }
    }

    /** The snapshot in service, if any configuration was ever valid. */
    public Optional<InjectorSnapshot> current() {
        return Optional.ofNullable(current.get());
    }

    /** Why the last load failed, if it did. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }
}
