package io.sidecarinjector.reload;

import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.config.ServiceSettings;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.webhook.Revision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The configuration in service. It is swapped whole, never edited; a request takes the snapshot once and keeps
 * it. A configuration that fails validation never replaces a good one.
 */
@ApplicationScoped
public class ActiveConfigHolder {

    private static final Logger LOG = Logger.getLogger(ActiveConfigHolder.class);

    private final AtomicReference<ActiveConfig> current = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** What was last tried, loaded or not: the same files are not validated (nor their error logged) twice. */
    private final AtomicReference<ConfigFiles> lastTried = new AtomicReference<>();

    @Inject
    Engine engine;

    @Inject
    ServiceSettings settings;

    @Inject
    Event<Object> events;

    @Inject
    NodeVersions nativeSidecarSupport;

    @Inject
    ProxyConfigResources proxyConfigResources;

    /** The revision served, as pods carry it: empty for the default one. */
    private String servedRevision() {
        Revision revision = Revision.of(settings.revision());
        return revision.isDefault() ? "" : revision.name();
    }

    /**
     * Reads the configuration files and, if they changed since the last attempt, validates them and puts them
     * in service. Synchronized so that two reloads never interleave; requests never wait for it.
     *
     * @return true if a new configuration went into service
     */
    public synchronized boolean reloadIfChanged() {
        ConfigFiles files;
        try {
            files = ConfigFiles.read(settings);
        } catch (InvalidConfigException e) {
            return reject(e);
        }
        if (Objects.equals(files, lastTried.get())) {
            return false;
        }
        lastTried.set(files);
        try {
            ActiveConfig snapshot = ActiveConfigFactory.build(
                    engine,
                    files.load(),
                    servedRevision(),
                    IstioSwitches.fromProcess(),
                    nativeSidecarSupport,
                    proxyConfigResources);
            ActiveConfig previous = current.getAndSet(snapshot);
            lastError.set(null);
            snapshot.policy().configProblems().forEach(LOG::warn);
            List<String> unsupported = snapshot.templates().unsupportedGoTemplates();
            if (!unsupported.isEmpty()) {
                LOG.warnf(
                        "templates %s are Go templates this injector does not render: pods that ask for them are "
                                + "refused; give Qute versions (first line %s) under the same names",
                        unsupported, io.sidecarinjector.render.TemplateCatalog.QUTE_MARKER);
            }
            events.fire(new ConfigurationEvents.Applied(snapshot.hash(), unsupported));
            LOG.infof(
                    "configuration %s in service%s",
                    snapshot.hash(), previous == null ? "" : " (was " + previous.hash() + ")");
            return true;
        } catch (InvalidConfigException | RuntimeException e) {
            return reject(e);
        }
    }

    private boolean reject(Exception e) {
        String message = e.getMessage();
        if (!Objects.equals(message, lastError.getAndSet(message))) {
            LOG.errorf(
                    "configuration rejected (%s): %s",
                    current.get() == null
                            ? "no configuration in service"
                            : "configuration " + current.get().hash() + " stays in service",
                    message);
        }
        events.fire(new ConfigurationEvents.Rejected(message));
        return false;
    }

    /** The snapshot in service, if any configuration was ever valid. */
    public Optional<ActiveConfig> current() {
        return Optional.ofNullable(current.get());
    }

    /** Why the last attempt failed, if it did. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }
}
