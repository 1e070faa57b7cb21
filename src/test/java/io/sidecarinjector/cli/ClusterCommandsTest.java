package io.sidecarinjector.cli;

import static io.sidecarinjector.cli.CommandLineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands that talk to the API server ({@code kube-inject --cluster}, {@code tls-bootstrap}), against a
 * Kubernetes test server that outlives each launch. {@link ClusterCommandsIT} runs the same against the packaged
 * artifact, where the Kubernetes client reads and writes the objects through the native image's reflection
 * registrations.
 */
@QuarkusMainTest
@TestProfile(ClusterCommandsTest.Cluster.class)
class ClusterCommandsTest {

    static final String NS = "cli-ns";

    /**
     * The server's port and the TLS directory are chosen once per test JVM and kept in system properties: the
     * JVM-mode launcher reads the profile in another class loader, where static fields are not these.
     */
    static synchronized String shared(String key, Supplier<String> value) {
        String current = System.getProperty(key);
        if (current == null) {
            current = value.get();
            System.setProperty(key, current);
        }
        return current;
    }

    static int port() {
        return Integer.parseInt(shared("cluster-commands-test.port", () -> {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return Integer.toString(socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    static Path tlsDirectory() {
        return Path.of(shared("cluster-commands-test.tls-directory", () -> {
            try {
                return Files.createTempDirectory("cli-tls").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    public static class Cluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the Kubernetes client's own settings, as the Quarkus test server passes them (the extension's
            // api-server-url is fixed at build time)
            return Map.of(
                    "kubernetes.master",
                    "http://127.0.0.1:" + port(),
                    "kubernetes.auth.tryKubeConfig",
                    "false",
                    "kubernetes.auth.tryServiceAccount",
                    "false",
                    "injector.tls.mode",
                    "self-managed",
                    "injector.tls.self-managed.namespace",
                    NS,
                    "injector.tls.self-managed.secret",
                    "cli-tls",
                    "injector.revision",
                    "cli",
                    "injector.tls.self-managed.directory",
                    tlsDirectory().toString());
        }
    }

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeAll
    static void startServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.start(InetAddress.getLoopbackAddress(), port());
        client = server.createClient();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.shutdown();
    }

    static void configMap(String name, Map<String, String> data) {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withData(data)
                        .build())
                .createOr(existing -> existing.update());
    }

    @Test
    void kubeInjectReadsAnInstallationsConfigMaps(QuarkusMainLauncher launcher) {
        configMap("istio", Map.of("mesh", "trustDomain: example.org\n"));
        configMap(
                "istio-sidecar-injector",
                Map.of("config", "policy: enabled\n", "values", "{\"global\": {\"tag\": \"from-cluster\"}}"));
        LaunchResult result = launcher.launch("kube-inject", "--cluster", "-i", NS, "-f", CommandLineTest.WORKLOAD);
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("proxyv2:from-cluster"), result.getOutput());
        assertTrue(result.getOutput().contains("example.org"), "the MeshConfig's trust domain");
    }

    @Test
    void kubeInjectReadsARevisionsConfigMapsAndMarksThePods(QuarkusMainLauncher launcher) {
        configMap("istio-canary", Map.of("mesh", "trustDomain: canary.example\n"));
        configMap(
                "istio-sidecar-injector-canary",
                Map.of(
                        "config",
                        "policy: enabled\n",
                        "values",
                        "{\"global\": {\"tag\": \"canary-tag\"}, \"revision\": \"canary\"}"));
        LaunchResult result = launcher.launch(
                "kube-inject",
                "--cluster",
                "--istioNamespace",
                NS,
                "--revision",
                "canary",
                "-f",
                CommandLineTest.WORKLOAD);
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("proxyv2:canary-tag"), result.getOutput());
        assertTrue(result.getOutput().contains("istio.io/rev: canary"), result.getOutput());
        assertTrue(result.getOutput().contains("istiod-canary.istio-system.svc:15012"), "CA address of the revision");
    }

    @Test
    void kubeInjectNamesAConfigMapThatIsNotThere(QuarkusMainLauncher launcher) {
        configMap("istio", Map.of("mesh", ""));
        LaunchResult result = launcher.launch(
                "kube-inject",
                "--cluster",
                "-i",
                NS,
                "--injectConfigMapName",
                "absent",
                "-f",
                CommandLineTest.WORKLOAD);
        assertEquals(1, result.exitCode(), result.getErrorOutput());
        assertEquals("error: ConfigMap " + NS + "/absent not found", messages(result));
    }

    @Test
    void tlsBootstrapCreatesTheSecretWritesTheFilesAndTheCaBundle(QuarkusMainLauncher launcher) throws Exception {
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(new MutatingWebhookConfigurationBuilder()
                        .withNewMetadata()
                        .withName("cli-webhook")
                        .addToLabels("sidecarinjector.io/revision", "cli")
                        .endMetadata()
                        .addNewWebhook()
                        .withName("cli.example.com")
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
        LaunchResult result = launcher.launch("tls-bootstrap", "--timeout", "30s");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(
                messages(result)
                        .contains("trusted by the MutatingWebhookConfigurations labelled "
                                + "sidecarinjector.io/revision=cli"),
                messages(result));

        Secret secret = client.secrets().inNamespace(NS).withName("cli-tls").get();
        assertNotNull(secret, "Secret created");
        assertFalse(secret.getData().isEmpty(), "Secret has data");
        String bundle = client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("cli-webhook")
                .get()
                .getWebhooks()
                .get(0)
                .getClientConfig()
                .getCaBundle();
        assertNotNull(bundle, "caBundle written");
        X509Certificate ca = certificate(Base64.getDecoder().decode(bundle));
        X509Certificate served = certificate(Files.readAllBytes(tlsDirectory().resolve("tls.crt")));
        served.verify(ca.getPublicKey());
        assertTrue(
                served.getSubjectAlternativeNames().toString().contains("sidecar-injector." + NS + ".svc"),
                served.getSubjectAlternativeNames().toString());
    }

    static X509Certificate certificate(byte[] pem) throws Exception {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
