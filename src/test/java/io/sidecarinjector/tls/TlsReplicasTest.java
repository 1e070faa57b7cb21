package io.sidecarinjector.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sidecarinjector.webhook.Revision;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Replicas with self-managed TLS that share one Secret and one caBundle, against the Kubernetes test server (CRUD
 * mode): starting together, dying half-way, and rotating the CA. After every single write to the API server the
 * caBundle of every webhook of ours must verify the certificate every replica serves.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TlsReplicasTest {

    static final String NS = "replicas-ns";
    static final String SERVICE = "sidecar-injector";

    @Inject
    KubernetesClient client;

    /** A clock the test moves on. */
    static final class MovingClock extends Clock {
        volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** One injector pod: what its init container and its monitor do, split at each write to the API server. */
    final class Replica {
        final TlsBootstrap bootstrap;
        final Path directory;
        TlsMaterial material;

        Replica(String secret, Revision revision, Clock clock, Duration caValidity) {
            bootstrap = new TlsBootstrap(
                    client,
                    new CertificateAuthority(clock, new SecureRandom()),
                    clock,
                    new TlsBootstrap.Options(
                            NS,
                            SERVICE,
                            secret,
                            revision,
                            caValidity,
                            Duration.ofDays(90),
                            Duration.ofDays(30),
                            Duration.ofMinutes(10)));
            try {
                directory = Files.createTempDirectory("replica");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads (and maybe changes) the Secret, then serves what it holds, as TlsMonitor does. */
        void secretStep() {
            material = bootstrap.ensureSecret();
            try {
                material.writeTo(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void bundleStep() {
            bootstrap.ensureCaBundle(material);
        }

        void check() {
            secretStep();
            bundleStep();
        }

        X509Certificate served() {
            try {
                return Pem.certificate(
                        Files.readString(directory.resolve(TlsMaterial.TLS_CRT), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    MutatingWebhookConfiguration createConfiguration(String name, Revision revision) {
        MutatingWebhookConfiguration config = WebhookConfigurations.ours(name, revision, NS, SERVICE);
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(name)
                .delete();
        return client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(config)
                .create();
    }

    List<MutatingWebhook> ourWebhooks(Revision revision) {
        return new WebhookBundles(client, Clock.systemUTC(), revision, NS, SERVICE)
                .configurations().stream()
                        .flatMap(c -> c.getWebhooks().stream())
                        .toList();
    }

    /** The CAs in the caBundle of every webhook of ours; fails when two webhooks disagree. */
    List<X509Certificate> bundle(Revision revision) {
        List<MutatingWebhook> webhooks = ourWebhooks(revision);
        assertFalse(webhooks.isEmpty());
        List<X509Certificate> first =
                Pem.fromCaBundle(webhooks.get(0).getClientConfig().getCaBundle());
        for (MutatingWebhook webhook : webhooks) {
            assertEquals(first, Pem.fromCaBundle(webhook.getClientConfig().getCaBundle()), webhook.getName());
        }
        return first;
    }

    /** What the API server must never lose: every webhook's bundle verifies every replica's certificate. */
    void assertEveryServedCertificateVerifies(Revision revision, Clock clock, List<Replica> replicas, String when) {
        for (MutatingWebhook webhook : ourWebhooks(revision)) {
            List<X509Certificate> cas =
                    Pem.fromCaBundle(webhook.getClientConfig().getCaBundle());
            for (Replica replica : replicas) {
                X509Certificate served = replica.served();
                if (cas.stream().noneMatch(ca -> verifies(ca, served, clock.instant()))) {
                    fail(when + ": the caBundle of " + webhook.getName() + " (" + cas.size() + " CAs) does not verify "
                            + "the certificate served by " + replica.directory);
                }
            }
        }
    }

    static boolean verifies(X509Certificate ca, X509Certificate served, Instant at) {
        try {
            served.verify(ca.getPublicKey());
            return served.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                    && !at.isBefore(served.getNotBefore().toInstant())
                    && at.isBefore(served.getNotAfter().toInstant())
                    && at.isBefore(ca.getNotAfter().toInstant());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Test
    void twoInstancesStartingAtTheSameMomentEndWithOneCaOneBundleAndCertificatesOfIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            Revision revision = new Revision("start-" + round);
            createConfiguration("start-" + round, revision);
            createConfiguration("start-" + round + "-tag", revision);
            Clock clock = Clock.systemUTC();
            List<Replica> replicas = List.of(
                    new Replica("start-" + round, revision, clock, Duration.ofDays(3650)),
                    new Replica("start-" + round, revision, clock, Duration.ofDays(3650)));
            CyclicBarrier together = new CyclicBarrier(replicas.size());
            ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (Replica replica : replicas) {
                    runs.add(pool.submit(() -> {
                        together.await();
                        replica.check();
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            TlsMaterial stored = TlsMaterial.fromSecretData(client.secrets()
                    .inNamespace(NS)
                    .withName("start-" + round)
                    .get()
                    .getData());
            X509Certificate ca = Pem.certificate(stored.caCertificate());
            assertEquals(List.of(ca), bundle(revision), "one CA, in every webhook of both configurations");
            for (Replica replica : replicas) {
                assertEquals(stored.caCertificate(), replica.material.caCertificate());
                assertTrue(verifies(ca, replica.served(), clock.instant()), "served certificate signed by the CA");
            }
        }
    }

    @Test
    void anInstanceKilledBetweenTheSecretAndTheBundleLeavesAStateTheNextStartRepairs() {
        Revision revision = new Revision("killed");
        createConfiguration("killed", revision);
        Clock clock = Clock.systemUTC();
        Replica first = new Replica("killed", revision, clock, Duration.ofDays(3650));
        first.secretStep(); // created the Secret, wrote its files, and died
        assertTrue(bundle(revision).isEmpty(), "nothing trusted yet");

        Replica next = new Replica("killed", revision, clock, Duration.ofDays(3650));
        next.check();
        assertEquals(first.material.caCertificate(), next.material.caCertificate(), "the Secret's CA is kept");
        assertEquals(List.of(Pem.certificate(first.material.caCertificate())), bundle(revision));
        assertEveryServedCertificateVerifies(revision, clock, List.of(first, next), "after the next start");
    }

    @Test
    void anInstanceKilledAfterStartingARotationLeavesAStateTheNextStartCarriesOn() {
        Revision revision = new Revision("killed-rotation");
        createConfiguration("killed-rotation", revision);
        MovingClock clock = new MovingClock();
        Replica first = new Replica("killed-rotation", revision, clock, Duration.ofDays(100));
        first.check();
        X509Certificate oldCa = Pem.certificate(first.material.caCertificate());

        clock.advance(Duration.ofDays(75)); // the CA expires within renew-before
        first.secretStep(); // step 1 written to the Secret; killed before the bundle
        assertNotNull(first.material.nextCaCertificate());
        assertEquals(List.of(oldCa), bundle(revision));
        assertEveryServedCertificateVerifies(revision, clock, List.of(first), "killed after step 1");

        Replica next = new Replica("killed-rotation", revision, clock, Duration.ofDays(100));
        next.secretStep();
        assertEquals(
                oldCa,
                Pem.certificate(next.material.caCertificate()),
                "no promotion while a webhook does not trust the new CA");
        assertEveryServedCertificateVerifies(revision, clock, List.of(first, next), "restarted, Secret read");
        next.bundleStep();
        assertEquals(List.of(oldCa, Pem.certificate(first.material.nextCaCertificate())), bundle(revision));
        next.check();
        assertEquals(first.material.nextCaCertificate(), next.material.caCertificate(), "promoted on the next check");
        assertEveryServedCertificateVerifies(revision, clock, List.of(first, next), "promoted");
    }

    @Test
    void aCaRotationWithTwoReplicasKeepsEveryServedCertificateTrustedAtEveryStep() {
        Revision revision = new Revision("rotation");
        createConfiguration("rotation", revision);
        createConfiguration("rotation-tag", revision);
        MovingClock clock = new MovingClock();
        Replica a = new Replica("rotation", revision, clock, Duration.ofDays(100));
        Replica b = new Replica("rotation", revision, clock, Duration.ofDays(100));
        List<Replica> both = List.of(a, b);
        a.check();
        b.check();
        X509Certificate oldCa = Pem.certificate(a.material.caCertificate());
        assertEveryServedCertificateVerifies(revision, clock, both, "started");

        clock.advance(Duration.ofDays(75)); // the CA expires in 25 days, within renew-before (30 days)
        a.secretStep();
        X509Certificate newCa = Pem.certificate(a.material.nextCaCertificate());
        assertEquals(oldCa, Pem.certificate(a.material.caCertificate()), "step 1: the old CA still signs");
        assertEveryServedCertificateVerifies(revision, clock, both, "step 1 in the Secret");
        a.bundleStep();
        assertEquals(List.of(oldCa, newCa), bundle(revision), "step 1: both CAs trusted");
        assertEveryServedCertificateVerifies(revision, clock, both, "step 1 in the bundle");

        b.secretStep(); // every webhook trusts the new CA: b promotes it and serves a certificate of it
        assertEquals(newCa, Pem.certificate(b.material.caCertificate()), "step 2");
        assertEquals(newCa.getSubjectX500Principal(), b.served().getIssuerX500Principal());
        assertNotNull(b.material.rotatedAt());
        assertEveryServedCertificateVerifies(revision, clock, both, "step 2, a still serving the old certificate");
        b.bundleStep();
        assertEquals(List.of(oldCa, newCa), bundle(revision), "step 2 keeps the old CA trusted");

        clock.advance(Duration.ofMinutes(1)); // a's next check, within the grace period
        a.check();
        assertEquals(newCa.getSubjectX500Principal(), a.served().getIssuerX500Principal(), "a serves the new CA's");
        assertEquals(List.of(oldCa, newCa), bundle(revision));
        assertEveryServedCertificateVerifies(revision, clock, both, "both on the new CA, grace period");

        clock.advance(Duration.ofMinutes(10)); // the grace period is over
        b.secretStep();
        assertNull(b.material.rotatedAt(), "step 3");
        assertEveryServedCertificateVerifies(revision, clock, both, "step 3 in the Secret");
        b.bundleStep();
        assertEquals(List.of(newCa), bundle(revision), "step 3: only the new CA");
        assertEveryServedCertificateVerifies(revision, clock, both, "step 3 in the bundle");
        a.check();
        assertEquals(List.of(newCa), bundle(revision), "a agrees");
        assertEveryServedCertificateVerifies(revision, clock, both, "after the rotation");
    }

    @Test
    void aReplicaWithAnOlderViewOfTheSecretNeverRemovesANewerCa() {
        Revision revision = new Revision("stale");
        createConfiguration("stale", revision);
        MovingClock clock = new MovingClock();
        Replica a = new Replica("stale", revision, clock, Duration.ofDays(100));
        Replica b = new Replica("stale", revision, clock, Duration.ofDays(100));
        a.check();
        b.check();
        TlsMaterial stale = b.material; // b read the Secret before a started the rotation
        clock.advance(Duration.ofDays(75));
        a.check(); // step 1
        a.check(); // step 2: a serves a certificate of the new CA
        X509Certificate newCa = Pem.certificate(a.material.caCertificate());
        assertNotEquals(stale.caCertificate(), a.material.caCertificate());

        assertFalse(b.bootstrap.ensureCaBundle(stale), "the newer CA stays, nothing to write");
        assertTrue(bundle(revision).contains(newCa));
        assertEveryServedCertificateVerifies(revision, clock, List.of(a, b), "after a stale bundle write");
    }

    @Test
    void aRenewedCertificateOfTheSameCaLeavesTheBundleAlone() {
        Revision revision = new Revision("renewal");
        createConfiguration("renewal", revision);
        MovingClock clock = new MovingClock();
        Replica a = new Replica("renewal", revision, clock, Duration.ofDays(3650));
        Replica b = new Replica("renewal", revision, clock, Duration.ofDays(3650));
        a.check();
        b.check();
        List<X509Certificate> before = bundle(revision);
        clock.advance(Duration.ofDays(70)); // the 90-day certificate is within renew-before
        a.check();
        assertNotEquals(b.material.certificate(), a.material.certificate(), "renewed");
        assertEquals(before, bundle(revision));
        assertEveryServedCertificateVerifies(revision, clock, List.of(a, b), "one replica renewed");
        b.check();
        assertEquals(a.material.certificate(), b.material.certificate(), "b serves the renewed one");
    }
}
