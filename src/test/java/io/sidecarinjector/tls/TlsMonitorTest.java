package io.sidecarinjector.tls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The running instance with self-managed TLS, serving revision "monitor": not ready until the caBundle of a webhook
 * configuration labelled with that revision trusts its certificate, and writes the bundle back when a re-applied
 * manifest wipes it.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(TlsMonitorTest.SelfManaged.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsMonitorTest {

    public static class SelfManaged implements QuarkusTestProfile {
        static final Path DIR = tempDir();

        static Path tempDir() {
            try {
                return Files.createTempDirectory("tls");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "injector.tls.required",
                    "true",
                    "injector.tls.check-interval",
                    "200ms",
                    "injector.tls.mode",
                    "self-managed",
                    "injector.tls.self-managed.namespace",
                    "monitor-ns",
                    "injector.revision",
                    "monitor",
                    "injector.tls.self-managed.directory",
                    DIR.toString());
        }
    }

    // the test server's own client rather than the application's bean, so that the packaged-artifact twin
    // (TlsMonitorIT) drives the same server
    @KubernetesTestServer
    KubernetesServer server;

    KubernetesClient client() {
        return server.getClient();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("not within 3 s: " + what);
    }

    static int readiness() {
        return given().get("/q/health/ready").then().extract().statusCode();
    }

    @Test
    @Order(1)
    void notReadyWhileNoWebhookConfigurationTrustsTheCertificate() throws InterruptedException {
        // a fast start answers before the monitor's first check ("no certificate checked yet"): wait for it
        await(() -> given().get("/q/health/ready").then().extract().asString().contains("labelled"), "first check");
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body(
                        "checks.find { it.name == 'tls-certificate' }.data.problem",
                        containsString("no MutatingWebhookConfiguration labelled sidecarinjector.io/revision=monitor"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @Order(2)
    void readyOnceTheBundleIsWrittenAndTheFilesAreThere() throws Exception {
        client().admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(new MutatingWebhookConfigurationBuilder()
                        .withNewMetadata()
                        .withName("monitor-test")
                        .addToLabels("sidecarinjector.io/revision", "monitor")
                        .endMetadata()
                        .addNewWebhook()
                        .withName("monitor.example.com")
                        .withNewClientConfig()
                        .withNewService()
                        .withName("sidecar-injector")
                        .withNamespace("monitor-ns")
                        .endService()
                        .endClientConfig()
                        .endWebhook()
                        .build())
                .create();
        await(() -> readiness() == 200, "ready");
        given().get("/q/health/ready")
                .then()
                .body("checks.find { it.name == 'tls-certificate' }.data.trustedByCaBundle", equalTo(true));
        assertTrue(
                Files.exists(SelfManaged.DIR.resolve("tls.crt")) && Files.exists(SelfManaged.DIR.resolve("tls.key")));
        String metrics = given().get("/q/metrics").then().extract().asString();
        double expiry = metrics.lines()
                .filter(l -> l.startsWith("sidecar_injector_tls_certificate_expiry_seconds "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow();
        assertTrue(expiry > 300 * 24 * 3600, "about a year: " + expiry);
    }

    @Test
    @Order(3)
    void aWipedBundleIsWrittenBack() throws Exception {
        client().admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("monitor-test")
                .edit(c -> {
                    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
                    return c;
                });
        await(
                () -> {
                    var config = client().admissionRegistration()
                            .v1()
                            .mutatingWebhookConfigurations()
                            .withName("monitor-test")
                            .get();
                    String bundle =
                            config.getWebhooks().get(0).getClientConfig().getCaBundle();
                    return bundle != null && !bundle.isEmpty();
                },
                "bundle written back");
        await(() -> readiness() == 200, "ready again");
    }

    @Test
    @Order(4)
    void injectOverPlainHttpIsRefused() {
        given().contentType("application/json")
                .body("{}")
                .post("/inject")
                .then()
                .statusCode(403)
                .body(containsString("HTTPS only"));
    }
}
