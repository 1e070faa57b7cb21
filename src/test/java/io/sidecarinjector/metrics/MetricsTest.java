package io.sidecarinjector.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.testing.Reviews;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Prometheus metrics, by Istio's names, with tags from fixed sets only. {@link MetricsIT} runs it packaged. */
@QuarkusTest
class MetricsTest {

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    static double value(String text, String series) {
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }

    static Pod pod(String name, String inject) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("app")
                .endContainer()
                .endSpec();
        if (inject != null) {
            pod.editMetadata()
                    .addToAnnotations("sidecar.istio.io/inject", inject)
                    .endMetadata();
        }
        return pod.build();
    }

    static void post(String body) {
        given().contentType("application/json").body(body).post("/inject");
    }

    @Test
    void countsRequestsInjectionsSkipsAndFailuresByIstiosNames() {
        String before = scrape();
        post(Reviews.request("m-1", "namespace-a", pod("pod-injected", null)).toString());
        post(Reviews.request("m-2", "namespace-b", pod("pod-refused", "false")).toString());
        post("not json");
        String after = scrape();
        assertEquals(
                3,
                value(after, "sidecar_injection_requests_total") - value(before, "sidecar_injection_requests_total"));
        assertEquals(
                1, value(after, "sidecar_injection_success_total") - value(before, "sidecar_injection_success_total"));
        String skip = "sidecar_injection_skip_total{reason=\"explicitly_disabled\"}";
        assertEquals(1, value(after, skip) - value(before, skip));
        String decode = "sidecar_injection_failure_total{type=\"decode\"}";
        assertEquals(1, value(after, decode) - value(before, decode));
        String count = "sidecar_injection_duration_seconds_count";
        assertEquals(3, value(after, count) - value(before, count));
    }

    @Test
    void theLatencyHistogramHasSubMillisecondBuckets() {
        post(Reviews.request("m-3", "demo", pod("p", null)).toString());
        String text = scrape();
        for (String le : List.of("1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.005")) {
            assertTrue(text.contains("sidecar_injection_duration_seconds_bucket{le=\"" + le + "\"}"), le);
        }
    }

    @Test
    void noTagCarriesAPodANamespaceOrAnAnnotationValue() {
        post(Reviews.request("m-4", "secret-namespace-name", pod("secret-pod-name", "maybe-garbage"))
                .toString());
        String text = scrape();
        for (String line : text.lines().filter(l -> l.startsWith("sidecar_")).toList()) {
            assertTrue(!line.contains("secret-") && !line.contains("maybe-garbage"), line);
        }
        assertTrue(text.contains("sidecar_injector_config_info{hash=\""), "the configuration in service is exported");
        assertTrue(text.contains("sidecar_injector_unsupported_templates 0.0"), "no Go template left unrendered");
        assertTrue(text.contains("sidecar_injector_config_reloads_total"));
        assertTrue(text.contains("sidecar_injector_tls_certificate_expiry_seconds"));
    }

    @Test
    void requestsAreCountedOnceAndTheProcessIsVisible() {
        post(Reviews.request("m-5", "demo", pod("p", null)).toString());
        String text = scrape();
        assertFalse(text.contains("http_server_requests"), "the framework's per-request timer is off");
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics stay");
        assertTrue(text.contains("process_cpu_usage"), "process metrics stay");
    }
}
