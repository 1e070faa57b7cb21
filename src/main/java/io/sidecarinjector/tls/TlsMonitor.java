package io.sidecarinjector.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sidecarinjector.config.ServiceSettings;
import io.sidecarinjector.support.Messages;
import io.sidecarinjector.webhook.Revision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps the serving certificate usable: checks its expiry, and with self-managed TLS renews it before it expires,
 * moves a CA rotation on step by step, and writes the CAs back into the caBundle whenever one of our webhook
 * configurations (labelled with the revision served) loses them (a re-applied manifest wipes it). All of this runs
 * beside the request path; a request never calls the API server.
 */
@ApplicationScoped
public class TlsMonitor {

    private static final Logger LOG = Logger.getLogger(TlsMonitor.class);

    @Inject
    TlsSettings settings;

    @Inject
    Event<CertificateChanged> events;

    @Inject
    jakarta.enterprise.inject.Instance<KubernetesClient> clients;

    /** The revision served; its webhook configurations get the caBundle. */
    @Inject
    ServiceSettings service;

    private final AtomicReference<TlsStatus> status =
            new AtomicReference<>(new TlsStatus(null, null, "no certificate checked yet"));
    private ScheduledExecutorService executor;
    private TlsBootstrap bootstrap;
    private io.fabric8.kubernetes.client.Watch watch;

    void onStart(@Observes StartupEvent event) {
        if (!settings.required() && !settings.selfManagedMode()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tls-monitor");
            thread.setDaemon(true);
            return thread;
        });
        if (settings.selfManagedMode()) {
            bootstrap = new TlsBootstrap(
                    clients.get(),
                    new CertificateAuthority(Clock.systemUTC(), new SecureRandom()),
                    Clock.systemUTC(),
                    TlsSettings.options(settings.selfManaged(), Revision.of(service.revision())));
            watchWebhookConfiguration();
        }
        long period = settings.checkInterval().toMillis();
        executor.scheduleWithFixedDelay(this::check, 0, period, TimeUnit.MILLISECONDS);
    }

    private void watchWebhookConfiguration() {
        try {
            watch = clients.get()
                    .admissionRegistration()
                    .v1()
                    .mutatingWebhookConfigurations()
                    .withLabel(
                            Revision.REVISION_LABEL,
                            bootstrap.options().revision().labelValue())
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, MutatingWebhookConfiguration resource) {
                            executor.execute(TlsMonitor.this::check);
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            LOG.warnf(
                                    "watch of the webhook configurations closed (%s); checks go on every %s",
                                    cause.getMessage(), settings.checkInterval());
                        }
                    });
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot watch the webhook configurations (%s); checks go on every %s",
                    e.getMessage(), settings.checkInterval());
        }
    }

    /** One check; its outcome is logged only when it changes. */
    synchronized void check() {
        TlsStatus next;
        try {
            next = settings.selfManagedMode() ? checkSelfManaged() : checkFile();
        } catch (RuntimeException | IOException e) {
            next = new TlsStatus(
                    status.get().notAfter(),
                    status.get().trusted(),
                    e.getMessage() == null ? e.toString() : Messages.oneLine(e.getMessage()));
        }
        TlsStatus previous = status.getAndSet(next);
        events.fire(new CertificateChanged(next.notAfter()));
        if (!Objects.equals(previous.problem(), next.problem())
                || !Objects.equals(previous.trusted(), next.trusted())) {
            if (next.problem() == null) {
                LOG.infof(
                        "TLS ready: certificate valid until %s%s",
                        next.notAfter(), next.trusted() == null ? "" : ", trusted by the webhook's caBundle");
            } else {
                LOG.warnf("TLS not ready: %s", next.problem());
            }
        }
    }

    private TlsStatus checkFile() throws IOException {
        Path file = settings.certificateFile().orElse(null);
        if (file == null) {
            return new TlsStatus(null, null, "injector.tls.certificate-file is not set");
        }
        if (!Files.exists(file)) {
            return new TlsStatus(null, null, "certificate file " + file + " does not exist");
        }
        Instant notAfter = Pem.certificate(Files.readString(file, StandardCharsets.US_ASCII))
                .getNotAfter()
                .toInstant();
        return new TlsStatus(
                notAfter, null, notAfter.isBefore(Instant.now()) ? "the certificate expired at " + notAfter : null);
    }

    private TlsStatus checkSelfManaged() throws IOException {
        TlsMaterial material = bootstrap.ensureSecret();
        Path directory = settings.selfManaged().directory();
        Path served = directory.resolve(TlsMaterial.TLS_CRT);
        if (!Files.exists(served)
                || !Files.readString(served, StandardCharsets.US_ASCII).equals(material.certificate())) {
            material.writeTo(directory); // renewed: the TLS registry reloads the files
        }
        // returns only once every webhook's caBundle holds the CA (it throws otherwise)
        bootstrap.ensureCaBundle(material);
        Instant notAfter = Pem.certificate(material.certificate()).getNotAfter().toInstant();
        return new TlsStatus(notAfter, true, null);
    }

    /** The last check's outcome. */
    public TlsStatus status() {
        return status.get();
    }

    public boolean enabled() {
        return settings.required() || settings.selfManagedMode();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (watch != null) {
            watch.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
