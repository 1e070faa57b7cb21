package io.sidecarinjector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sidecarinjector.webhook.Revision;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Self-managed TLS against the Kubernetes test server (CRUD mode). */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TlsBootstrapTest {

    static final String NS = "tls-test";

    @Inject
    KubernetesClient client;

    static final Revision REVISION = new Revision("test-rev");

    TlsBootstrap.Options options(String secret) {
        return new TlsBootstrap.Options(
                NS,
                "sidecar-injector",
                secret,
                REVISION,
                Duration.ofDays(3650),
                Duration.ofDays(365),
                Duration.ofDays(30),
                Duration.ofMinutes(10));
    }

    TlsBootstrap bootstrap(String secret, Clock clock) {
        return new TlsBootstrap(client, new CertificateAuthority(clock, new SecureRandom()), clock, options(secret));
    }

    @BeforeEach
    void webhookConfiguration() {
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("injector-test")
                .delete();
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(new MutatingWebhookConfigurationBuilder()
                        .withNewMetadata()
                        .withName("injector-test")
                        .addToLabels(Revision.REVISION_LABEL, REVISION.labelValue())
                        .endMetadata()
                        .addNewWebhook()
                        .withName("a.example.com")
                        .withNewClientConfig()
                        .withNewService()
                        .withName("sidecar-injector")
                        .withNamespace(NS)
                        .withPath("/inject")
                        .endService()
                        .endClientConfig()
                        .endWebhook()
                        .addNewWebhook()
                        .withName("b.example.com")
                        .withNewClientConfig()
                        .withNewService()
                        .withName("sidecar-injector")
                        .withNamespace(NS)
                        .withPath("/inject")
                        .endService()
                        .endClientConfig()
                        .endWebhook()
                        .build())
                .create();
    }

    MutatingWebhookConfiguration config() {
        return client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("injector-test")
                .get();
    }

    @Test
    void createsTheSecretAndWritesTheCaIntoEveryWebhook() throws Exception {
        TlsBootstrap bootstrap = bootstrap("created", Clock.systemUTC());
        TlsMaterial material = bootstrap.ensureSecret();
        assertTrue(client.secrets().inNamespace(NS).withName("created").get() != null);
        assertTrue(bootstrap.ensureCaBundle(material));
        assertTrue(bootstrap.trusts(config(), material));
        assertFalse(bootstrap.ensureCaBundle(material), "nothing to change the second time");
    }

    @Test
    void theServedCertificateChainsToTheBundleAndNamesTheService() throws Exception {
        TlsBootstrap bootstrap = bootstrap("chain", Clock.systemUTC());
        TlsMaterial material = bootstrap.ensureSecret();
        bootstrap.ensureCaBundle(material);
        X509Certificate ca = Pem.certificate(new String(java.util.Base64.getDecoder()
                .decode(config().getWebhooks().get(0).getClientConfig().getCaBundle())));
        X509Certificate served = Pem.certificate(material.certificate());
        served.verify(ca.getPublicKey());
        served.checkValidity();
        assertTrue(TlsMaterial.dnsNamesOf(served).contains("sidecar-injector." + NS + ".svc"));
        assertEquals(-1, served.getBasicConstraints(), "not a CA");
        assertEquals(0, ca.getBasicConstraints(), "a CA that signs only leaves");
    }

    @Test
    void aWipedBundleIsWrittenAgain() {
        TlsBootstrap bootstrap = bootstrap("wiped", Clock.systemUTC());
        TlsMaterial material = bootstrap.ensureSecret();
        bootstrap.ensureCaBundle(material);
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("injector-test")
                .edit(c -> {
                    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
                    return c;
                });
        assertFalse(bootstrap.trusts(config(), material));
        assertTrue(bootstrap.ensureCaBundle(material));
        assertTrue(bootstrap.trusts(config(), material));
    }

    @Test
    void instancesStartingTogetherConvergeOnOneCa() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<TlsMaterial>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Callable<TlsMaterial> replica =
                    () -> bootstrap("shared", Clock.systemUTC()).ensureSecret();
            results.add(pool.submit(replica));
        }
        List<String> cas = new ArrayList<>();
        for (Future<TlsMaterial> result : results) {
            cas.add(result.get().caCertificate());
        }
        String stored = TlsMaterial.fromSecretData(client.secrets()
                        .inNamespace(NS)
                        .withName("shared")
                        .get()
                        .getData())
                .caCertificate();
        assertEquals(List.of(stored, stored, stored, stored), cas);
        pool.shutdown();
    }

    @Test
    void aCertificateNearExpiryIsRenewedFromTheSameCa() {
        TlsMaterial first = bootstrap("renewed", Clock.systemUTC()).ensureSecret();
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(340)), ZoneOffset.UTC);
        TlsMaterial renewed = bootstrap("renewed", later).ensureSecret();
        assertEquals(first.caCertificate(), renewed.caCertificate(), "the CA, and so the caBundle, stays");
        assertNotEquals(first.certificate(), renewed.certificate());
        assertEquals(
                renewed,
                TlsMaterial.fromSecretData(client.secrets()
                        .inNamespace(NS)
                        .withName("renewed")
                        .get()
                        .getData()));
    }

    @Test
    void aMissingWebhookConfigurationIsAClearError() {
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("injector-test")
                .delete();
        TlsBootstrap bootstrap = bootstrap("missing", Clock.systemUTC());
        TlsMaterial material = bootstrap.ensureSecret();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> bootstrap.ensureCaBundle(material));
        assertEquals(
                "no MutatingWebhookConfiguration labelled sidecarinjector.io/revision=test-rev has a webhook "
                        + "calling Service tls-test/sidecar-injector",
                e.getMessage());
    }
}
