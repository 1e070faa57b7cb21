package io.sidecarinjector.tls;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Self-managed TLS: the Secret is the one source of truth for the CA, so every replica serves a certificate of the
 * same CA. The first replica to find no Secret creates it; a replica that loses the race (409) reads the winner's.
 * Renewal updates the Secret with its resourceVersion (optimistic concurrency), and the CA goes into the
 * MutatingWebhookConfiguration's caBundle.
 */
public final class TlsBootstrap {

    private static final Logger LOG = Logger.getLogger(TlsBootstrap.class);
    private static final int ATTEMPTS = 5;

    /**
     * @param namespace the injector's namespace, where its Secret and Service are
     * @param service the Service the API server calls
     * @param secret the Secret that holds the CA and the serving certificate
     * @param webhookConfiguration the MutatingWebhookConfiguration whose caBundle is written
     * @param caValidity how long a new CA is valid
     * @param certificateValidity how long a serving certificate is valid
     * @param renewBefore a certificate (or CA) this close to expiry is replaced
     */
    public record Options(String namespace, String service, String secret, String webhookConfiguration,
            Duration caValidity, Duration certificateValidity, Duration renewBefore) {

        public List<String> dnsNames() {
            return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local",
                    service + "." + namespace, service);
        }
    }

    private final KubernetesClient client;
    private final CertificateAuthority authority;
    private final Clock clock;
    private final Options options;

    public TlsBootstrap(KubernetesClient client, CertificateAuthority authority, Clock clock, Options options) {
        this.client = client;
        this.authority = authority;
        this.clock = clock;
        this.options = options;
    }

    /** The material in the Secret, created or renewed first if needed. */
    public TlsMaterial ensureSecret() {
        Instant renewAfter = clock.instant().plus(options.renewBefore());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Secret secret = client.secrets().inNamespace(options.namespace()).withName(options.secret()).get();
            if (secret == null) {
                TlsMaterial fresh = issue(null);
                try {
                    client.secrets().inNamespace(options.namespace()).resource(secret(fresh, null)).create();
                    LOG.infof("created Secret %s/%s with a new CA", options.namespace(), options.secret());
                    return fresh;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                        throw e;
                    }
                    continue; // another replica created it first: use theirs
                }
            }
            TlsMaterial stored = TlsMaterial.fromSecretData(secret.getData());
            if (stored != null && stored.usable(options.dnsNames(), renewAfter)) {
                return stored;
            }
            TlsMaterial renewed = issue(stored);
            try {
                client.secrets().inNamespace(options.namespace())
                        .resource(secret(renewed, secret.getMetadata().getResourceVersion())).update();
                LOG.infof("renewed the serving certificate in Secret %s/%s", options.namespace(), options.secret());
                return renewed;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("Secret " + options.namespace() + "/" + options.secret()
                + " kept changing under us; giving up after " + ATTEMPTS + " attempts");
    }

    /** A new serving certificate, from the stored CA when it is still good, else from a new CA. */
    private TlsMaterial issue(TlsMaterial stored) {
        CertificateAuthority.Issued ca = null;
        if (stored != null) {
            try {
                var caCert = Pem.certificate(stored.caCertificate());
                if (caCert.getNotAfter().toInstant().isAfter(clock.instant().plus(options.renewBefore()))) {
                    ca = new CertificateAuthority.Issued(caCert, Pem.privateKey(stored.caKey()));
                }
            } catch (IllegalArgumentException e) {
                LOG.warnf("Secret %s/%s holds an unreadable CA; a new one is made", options.namespace(), options.secret());
            }
        }
        if (ca == null) {
            ca = authority.newCa("sidecar-injector-ca", options.caValidity());
        }
        return TlsMaterial.of(ca, authority.newServingCertificate(ca, options.dnsNames(), options.certificateValidity()));
    }

    private Secret secret(TlsMaterial material, String resourceVersion) {
        return new SecretBuilder().withNewMetadata().withName(options.secret()).withNamespace(options.namespace())
                .withResourceVersion(resourceVersion).addToLabels("app.kubernetes.io/name", "sidecar-injector")
                .endMetadata().withType("Opaque").withData(material.secretData()).build();
    }

    /**
     * Writes the CA into the caBundle of every webhook of the configuration.
     *
     * @return true if the configuration had to be changed
     */
    public boolean ensureCaBundle(TlsMaterial material) {
        var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(options.webhookConfiguration());
        MutatingWebhookConfiguration current = resource.get();
        if (current == null) {
            throw new IllegalStateException("MutatingWebhookConfiguration " + options.webhookConfiguration()
                    + " not found");
        }
        if (trusts(current, material)) {
            return false;
        }
        resource.edit(config -> {
            for (MutatingWebhook webhook : config.getWebhooks()) {
                webhook.getClientConfig().setCaBundle(material.caBundle());
            }
            return config;
        });
        LOG.infof("wrote the CA into the caBundle of MutatingWebhookConfiguration %s", options.webhookConfiguration());
        return true;
    }

    /** Whether every webhook of the configuration trusts this material's CA. */
    public static boolean trusts(MutatingWebhookConfiguration config, TlsMaterial material) {
        return config.getWebhooks() != null && !config.getWebhooks().isEmpty() && config.getWebhooks().stream()
                .allMatch(w -> w.getClientConfig() != null
                        && Objects.equals(material.caBundle(), w.getClientConfig().getCaBundle()));
    }

    public Options options() {
        return options;
    }
}
