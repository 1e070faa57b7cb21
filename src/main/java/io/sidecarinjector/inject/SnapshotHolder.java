package io.sidecarinjector.inject;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InjectorSettings;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.metrics.InjectorMetrics;

/**
 * The configuration in service. It is swapped whole, never edited; a request takes the snapshot once and keeps
 * it. A configuration that fails validation never replaces a good one.
 */
@ApplicationScoped
public class SnapshotHolder {

    private static final Logger LOG = Logger.getLogger(SnapshotHolder.class);

    private final AtomicReference<InjectorSnapshot> current = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** What was last tried, loaded or not: the same files are not validated (nor their error logged) twice. */
    private final AtomicReference<ConfigFiles> lastTried = new AtomicReference<>();

    @Inject
    Engine engine;

    @Inject
    InjectorSettings settings;

    @Inject
    InjectorMetrics metrics;

    /**
     * Reads the configuration files and, if they changed since the last attempt, validates them and puts them
     * in service. Synchronized so that two reloads never interleave; requests never wait for it.
     *
     * @return true if a new configuration went into service
     */
    public synchronized boolean reloadIfChanged() {
        ConfigFiles files;
        try {
            files = ConfigFiles.read(settings.configFile(), settings.meshFile());
        } catch (InvalidConfigException e) {
            return reject(e);
        }
        if (Objects.equals(files, lastTried.get())) {
            return false;
        }
        lastTried.set(files);
        try {
            InjectorSnapshot snapshot = SnapshotFactory.build(engine, files.load());
            InjectorSnapshot previous = current.getAndSet(snapshot);
            lastError.set(null);
            snapshot.policy().configProblems().forEach(LOG::warn);
            metrics.reloaded(snapshot.revision());
            LOG.infof("configuration revision %s in service%s", snapshot.revision(),
                    previous == null ? "" : " (was " + previous.revision() + ")");
            return true;
        } catch (InvalidConfigException | RuntimeException e) {
            return reject(e);
        }
    }

    private boolean reject(Exception e) {
        String message = e.getMessage();
        if (!Objects.equals(message, lastError.getAndSet(message))) {
            LOG.errorf("configuration rejected (%s): %s", current.get() == null ? "no configuration in service"
                    : "revision " + current.get().revision() + " stays in service", message);
        }
        metrics.reloadFailed();
        return false;
    }

    /** The snapshot in service, if any configuration was ever valid. */
    public Optional<InjectorSnapshot> current() {
        return Optional.ofNullable(current.get());
    }

    /** Why the last attempt failed, if it did. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }
}
