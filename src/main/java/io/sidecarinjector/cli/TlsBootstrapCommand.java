package io.sidecarinjector.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sidecarinjector.config.ServiceSettings;
import io.sidecarinjector.support.Messages;
import io.sidecarinjector.tls.CertificateAuthority;
import io.sidecarinjector.tls.TlsBootstrap;
import io.sidecarinjector.tls.TlsMaterial;
import io.sidecarinjector.tls.TlsSettings;
import io.sidecarinjector.webhook.Revision;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tls-bootstrap}: run as the injector pod's init container. Gets (or creates) the CA and serving
 * certificate from the Secret, writes the serving files, and writes the CAs into the caBundle of the webhook
 * configurations labelled with the revision served ({@code injector.revision}), so the
 * HTTPS server starts with a certificate the API server trusts. Retries with backoff while the API server is
 * unreachable or refuses, then fails (the kubelet restarts it).
 */
@Command(
        name = "tls-bootstrap",
        mixinStandardHelpOptions = true,
        description = "Create or reuse the webhook's CA and certificate (Secret), write the serving files and the "
                + "caBundle, with injector.tls.mode=self-managed. Settings: injector.tls.self-managed.* and "
                + "injector.revision (see README).")
public class TlsBootstrapCommand implements Callable<Integer> {

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            paramLabel = "DURATION",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).",
            converter = DurationConverter.class)
    Duration timeout;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Inject
    KubernetesClient client;

    @Inject
    TlsSettings settings;

    /** The revision served; its webhook configurations get the caBundle. */
    @Inject
    ServiceSettings service;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (!settings.selfManagedMode()) {
            // another party (cert-manager) provides the certificate: nothing to bootstrap
            err.println("tls-bootstrap: injector.tls.mode is " + settings.mode() + ", not self-managed; nothing to do");
            err.flush();
            return 0;
        }
        Revision served;
        try {
            served = Revision.of(service.revision());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        TlsBootstrap bootstrap = new TlsBootstrap(
                client,
                new CertificateAuthority(Clock.systemUTC(), new SecureRandom()),
                Clock.systemUTC(),
                TlsSettings.options(settings.selfManaged(), served));
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration backoff = Duration.ofSeconds(1);
        String lastError = null;
        while (true) {
            try {
                TlsMaterial material = bootstrap.ensureSecret();
                material.writeTo(settings.selfManaged().directory());
                bootstrap.ensureCaBundle(material);
                err.println("tls-bootstrap: certificate written to "
                        + settings.selfManaged().directory()
                        + " and trusted by the MutatingWebhookConfigurations labelled " + served.labelSelector());
                err.flush();
                return 0;
            } catch (KubernetesClientException | IllegalStateException | IOException e) {
                String error = Messages.oneLine(e.getMessage());
                if (!error.equals(lastError)) {
                    err.println("tls-bootstrap: " + error + " (retrying)");
                    err.flush();
                    lastError = error;
                }
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                err.println("error: tls-bootstrap gave up after " + timeout + ": " + lastError);
                err.flush();
                return 1;
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(15)) > 0
                    ? Duration.ofSeconds(15)
                    : backoff.multipliedBy(2);
        }
    }

    /** Durations as Quarkus writes them: 30s, 5m, 2h, or ISO-8601. */
    static class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return io.quarkus.runtime.configuration.DurationConverter.parseDuration(value);
        }
    }
}
