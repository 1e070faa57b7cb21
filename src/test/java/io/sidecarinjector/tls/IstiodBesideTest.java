package io.sidecarinjector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sidecarinjector.webhook.Revision;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The injector as its own revision beside a running istiod: neither writes the other's webhook configurations.
 * istiod writes its caBundle into every configuration labelled {@code istio.io/rev} with its revision (into the
 * webhooks whose name ends in {@code sidecar-injector.istio.io}), and counts as its tags those labelled
 * {@code istio.io/tag}; ours carry neither label. Our bootstrap writes only configurations labelled
 * {@code sidecarinjector.io/revision} with our revision, and in them only webhooks that call our Service.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class IstiodBesideTest {

    static final String NS = "istio-system";

    @Inject
    KubernetesClient client;

    TlsBootstrap bootstrap(String revision, String service, String secret) {
        Clock clock = Clock.systemUTC();
        return new TlsBootstrap(
                client,
                new CertificateAuthority(clock, new SecureRandom()),
                clock,
                new TlsBootstrap.Options(
                        NS,
                        service,
                        secret,
                        new Revision(revision),
                        Duration.ofDays(3650),
                        Duration.ofDays(365),
                        Duration.ofDays(30),
                        Duration.ofMinutes(10)));
    }

    MutatingWebhookConfiguration get(String name) {
        return client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(name)
                .get();
    }

    void create(MutatingWebhookConfiguration config) {
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(config.getMetadata().getName())
                .delete();
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(config)
                .create();
    }

    /** istiod's rule for the configurations whose caBundle it writes (pkg/webhooks/webhookpatch.go, Istio 1.30). */
    static boolean istiodPatches(MutatingWebhookConfiguration config, String istiodRevision) {
        String rev = config.getMetadata().getLabels() == null
                ? null
                : config.getMetadata().getLabels().get("istio.io/rev");
        return istiodRevision.equals(rev)
                && config.getWebhooks().stream().anyMatch(w -> w.getName().endsWith("sidecar-injector.istio.io"));
    }

    /** istiod's rule for its tags (pkg/revisions/tag_watcher.go): any configuration labelled istio.io/tag. */
    static boolean istiodCountsAsTag(MutatingWebhookConfiguration config) {
        return config.getMetadata().getLabels() != null
                && config.getMetadata().getLabels().containsKey("istio.io/tag");
    }

    @BeforeEach
    void cluster() {
        // istiod of the default revision, and its tag "prod"
        create(WebhookConfigurations.istiods(
                "istio-sidecar-injector", Map.of("istio.io/rev", "default"), "istiod's CA"));
        create(WebhookConfigurations.istiods(
                "istio-revision-tag-prod", Map.of("istio.io/rev", "default", "istio.io/tag", "prod"), "istiod's CA"));
        // this injector as revision "canary", and a tag "stable" that points at it
        create(WebhookConfigurations.ours("sidecar-injector-canary", new Revision("canary"), NS, "sidecar-injector"));
        create(WebhookConfigurations.ours(
                Revision.tagConfigurationName("stable"), new Revision("canary"), NS, "sidecar-injector"));
    }

    @Test
    void ourBootstrapLeavesIstiodsConfigurationsUntouched() {
        MutatingWebhookConfiguration istiod = get("istio-sidecar-injector");
        MutatingWebhookConfiguration istiodTag = get("istio-revision-tag-prod");
        TlsBootstrap bootstrap = bootstrap("canary", "sidecar-injector", "canary-tls");
        TlsMaterial material = bootstrap.ensureSecret();
        assertTrue(bootstrap.ensureCaBundle(material));

        assertEquals(istiod, get("istio-sidecar-injector"), "istiod's configuration, resourceVersion included");
        assertEquals(istiodTag, get("istio-revision-tag-prod"));
        assertTrue(bootstrap.trusts(get("sidecar-injector-canary"), material), "our revision's configuration");
        assertTrue(bootstrap.trusts(get("sidecar-injector-tag-stable"), material), "our tag's configuration");
    }

    @Test
    void istiodOfAnyRevisionLeavesOurConfigurationsAlone() {
        for (String name : List.of("sidecar-injector-canary", "sidecar-injector-tag-stable")) {
            MutatingWebhookConfiguration ours = get(name);
            for (String istiodRevision : List.of("default", "canary", "stable", "")) {
                assertFalse(istiodPatches(ours, istiodRevision), name + " patched by istiod " + istiodRevision);
            }
            assertFalse(istiodCountsAsTag(ours), name + " counted as an istiod tag");
        }
        // the rules are the ones istiod's own configurations meet
        assertTrue(istiodPatches(get("istio-sidecar-injector"), "default"));
        assertTrue(istiodCountsAsTag(get("istio-revision-tag-prod")));
    }

    @Test
    void aWebhookOfOursThatCallsAnotherServiceIsNotWritten() {
        MutatingWebhookConfiguration mixed =
                WebhookConfigurations.ours("sidecar-injector-mixed", new Revision("canary"), NS, "sidecar-injector");
        mixed.getWebhooks().get(1).getClientConfig().getService().setName("istiod-canary");
        create(mixed);
        TlsBootstrap bootstrap = bootstrap("canary", "sidecar-injector", "mixed-tls");
        bootstrap.ensureCaBundle(bootstrap.ensureSecret());
        List<MutatingWebhook> webhooks = get("sidecar-injector-mixed").getWebhooks();
        assertFalse(webhooks.get(0).getClientConfig().getCaBundle() == null, "ours written");
        assertEquals(null, webhooks.get(1).getClientConfig().getCaBundle(), "another Service's left alone");
    }

    @Test
    void twoRevisionsOfOursKeepTheirOwnBundles() {
        create(WebhookConfigurations.ours("sidecar-injector-blue", new Revision("blue"), NS, "sidecar-injector-blue"));
        TlsBootstrap canary = bootstrap("canary", "sidecar-injector", "canary-own-tls");
        TlsBootstrap blue = bootstrap("blue", "sidecar-injector-blue", "blue-tls");
        TlsMaterial canaryMaterial = canary.ensureSecret();
        TlsMaterial blueMaterial = blue.ensureSecret();
        canary.ensureCaBundle(canaryMaterial);
        blue.ensureCaBundle(blueMaterial);
        assertTrue(canary.trusts(get("sidecar-injector-canary"), canaryMaterial));
        assertTrue(blue.trusts(get("sidecar-injector-blue"), blueMaterial));
        assertEquals(
                List.of(Pem.certificate(blueMaterial.caCertificate())),
                Pem.fromCaBundle(get("sidecar-injector-blue")
                        .getWebhooks()
                        .get(0)
                        .getClientConfig()
                        .getCaBundle()),
                "blue's bundle holds blue's CA alone");
    }
}
