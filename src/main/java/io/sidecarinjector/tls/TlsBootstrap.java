package io.sidecarinjector.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sidecarinjector.webhook.Revision;
import java.net.HttpURLConnection;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Self-managed TLS: the Secret is the one source of truth for the CA, so every replica serves a certificate of the
 * same CA. The first replica to find no Secret creates it; a replica that loses the race (409) reads the winner's.
 * Every later change of the Secret is an update with the resourceVersion that was read (a replica that lost a race
 * reads again and finds the work done).
 *
 * <p>The CAs go into the caBundle of the webhooks that call our Service in every MutatingWebhookConfiguration
 * labelled with our revision ({@link WebhookBundles}). A CA is replaced in three steps, each one safe whatever the
 * other replicas are serving at that moment: (1) a new CA joins the bundle, signing nothing yet; (2) once every
 * webhook trusts it, it becomes the signing CA and a certificate of it is issued, while the bundle keeps the
 * previous CA for the replicas that still serve the previous certificate; (3) after {@code rotationGrace}, long
 * enough for every replica to have loaded the new certificate, the previous CA leaves the bundle.
 */
public final class TlsBootstrap {

    private static final Logger LOG = Logger.getLogger(TlsBootstrap.class);
    private static final int ATTEMPTS = 5;

    /**
     * @param namespace the injector's namespace, where its Secret and Service are
     * @param service the Service the API server calls
     * @param secret the Secret that holds the CA and the serving certificate
     * @param revision the revision served: the webhook configurations labelled with it get the caBundle
     * @param caValidity how long a new CA is valid
     * @param certificateValidity how long a serving certificate is valid
     * @param renewBefore a certificate (or CA) this close to expiry is replaced
     * @param rotationGrace how long the previous CA stays in the bundle after a new CA took over
     */
    public record Options(
            String namespace,
            String service,
            String secret,
            Revision revision,
            Duration caValidity,
            Duration certificateValidity,
            Duration renewBefore,
            Duration rotationGrace) {

        public List<String> dnsNames() {
            return List.of(
                    service + "." + namespace + ".svc",
                    service + "." + namespace + ".svc.cluster.local",
                    service + "." + namespace,
                    service);
        }
    }

    private final KubernetesClient client;
    private final CertificateAuthority authority;
    private final Clock clock;
    private final Options options;
    private final WebhookBundles bundles;

    public TlsBootstrap(KubernetesClient client, CertificateAuthority authority, Clock clock, Options options) {
        this.client = client;
        this.authority = authority;
        this.clock = clock;
        this.options = options;
        this.bundles = new WebhookBundles(client, clock, options.revision(), options.namespace(), options.service());
    }

    /** The material in the Secret, created, renewed or moved one rotation step on first if needed. */
    public TlsMaterial ensureSecret() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Secret secret = client.secrets()
                    .inNamespace(options.namespace())
                    .withName(options.secret())
                    .get();
            if (secret == null) {
                TlsMaterial fresh = newCa();
                try {
                    client.secrets()
                            .inNamespace(options.namespace())
                            .resource(secret(fresh, null))
                            .create();
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
            Step step = next(stored);
            if (step == null) {
                return stored;
            }
            try {
                client.secrets()
                        .inNamespace(options.namespace())
                        .resource(secret(step.material(), secret.getMetadata().getResourceVersion()))
                        .update();
                LOG.infof("Secret %s/%s: %s", options.namespace(), options.secret(), step.what());
                return step.material();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // another replica changed it first: read theirs
            }
        }
        throw new IllegalStateException("Secret " + options.namespace() + "/" + options.secret()
                + " kept changing under us; giving up after " + ATTEMPTS + " attempts");
    }

    /** What the Secret should become, and why; null when it is fine as it is. */
    private record Step(TlsMaterial material, String what) {}

    private Step next(TlsMaterial stored) {
        Instant now = clock.instant();
        Instant renewAfter = now.plus(options.renewBefore());
        CertificateAuthority.Issued ca = readableCa(stored);
        if (ca == null) {
            if (stored != null) {
                LOG.warnf(
                        "Secret %s/%s holds no readable CA; a new one is made", options.namespace(), options.secret());
            }
            return new Step(newCa(), "replaced its unreadable content with a new CA");
        }
        if (stored.nextCaCertificate() != null) {
            CertificateAuthority.Issued next = readable(stored.nextCaCertificate(), stored.nextCaKey());
            if (next == null) {
                return new Step(stored.withoutPreviousCa(), "dropped an unreadable next CA");
            }
            if (!bundles.trustedEverywhere(next.certificate())) {
                return certificateRenewal(stored, ca, renewAfter); // step 2 waits until every webhook trusts it
            }
            return new Step(
                    stored.promoted(next, serving(next), now),
                    "rotation step 2: the new CA signs the serving certificate; the previous CA stays trusted");
        }
        if (!ca.certificate().getNotAfter().toInstant().isAfter(renewAfter)) {
            return new Step(
                    stored.withNextCa(authority.newCa("sidecar-injector-ca", options.caValidity())),
                    "rotation step 1: a new CA joins the bundle (the current one expires "
                            + ca.certificate().getNotAfter().toInstant() + ")");
        }
        if (stored.rotatedAt() != null && !now.isBefore(stored.rotatedAt().plus(options.rotationGrace()))) {
            return new Step(stored.withoutPreviousCa(), "rotation step 3: the previous CA leaves the bundle");
        }
        return certificateRenewal(stored, ca, renewAfter);
    }

    private Step certificateRenewal(TlsMaterial stored, CertificateAuthority.Issued ca, Instant renewAfter) {
        if (stored.certificateUsable(options.dnsNames(), renewAfter)) {
            return null;
        }
        return new Step(stored.withCertificate(serving(ca)), "renewed the serving certificate");
    }

    private TlsMaterial newCa() {
        CertificateAuthority.Issued ca = authority.newCa("sidecar-injector-ca", options.caValidity());
        return TlsMaterial.of(ca, serving(ca));
    }

    private CertificateAuthority.Issued serving(CertificateAuthority.Issued ca) {
        return authority.newServingCertificate(ca, options.dnsNames(), options.certificateValidity());
    }

    private static CertificateAuthority.Issued readableCa(TlsMaterial stored) {
        return stored == null ? null : readable(stored.caCertificate(), stored.caKey());
    }

    private static CertificateAuthority.Issued readable(String certificate, String key) {
        try {
            X509Certificate cert = Pem.certificate(certificate);
            return new CertificateAuthority.Issued(cert, Pem.privateKey(key));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Secret secret(TlsMaterial material, String resourceVersion) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(options.secret())
                .withNamespace(options.namespace())
                .withResourceVersion(resourceVersion)
                .addToLabels("app.kubernetes.io/name", "sidecar-injector")
                .endMetadata()
                .withType("Opaque")
                .withData(material.secretData())
                .build();
    }

    /**
     * Writes the material's CAs into the caBundle of every webhook that calls our Service in the configurations
     * labelled with our revision.
     *
     * @return true if a configuration had to be changed
     * @throws IllegalStateException when no such webhook exists, or the configurations kept changing
     */
    public boolean ensureCaBundle(TlsMaterial material) {
        return bundles.ensure(material.trusted());
    }

    /** Whether every webhook of the configuration that calls our Service trusts all of the material's CAs. */
    public boolean trusts(MutatingWebhookConfiguration config, TlsMaterial material) {
        return bundles.trusts(config, material.trusted());
    }

    /** The selector of the webhook configurations this injector keeps: {@code sidecarinjector.io/revision=...}. */
    public String webhookSelector() {
        return options.revision().labelSelector();
    }

    public Options options() {
        return options;
    }
}
