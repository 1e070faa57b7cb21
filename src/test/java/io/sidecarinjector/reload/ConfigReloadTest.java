package io.sidecarinjector.reload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sidecarinjector.inject.InjectionStatus;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.Reviews;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Configuration changes on disk, in the ConfigMap layout, while the injector serves. */
@QuarkusTest
@TestProfile(ReloadProfile.class)
class ConfigReloadTest {

    @Inject
    ActiveConfigHolder holder;

    @AfterEach
    void restore() throws Exception {
        publish(ReloadProfile.INITIAL_CONFIG, ReloadProfile.INITIAL_MESH);
        String initial = IstioDocuments.load(
                        Optional.of(new TextDocument("m", ReloadProfile.INITIAL_MESH)),
                        Optional.of(new TextDocument("c", ReloadProfile.INITIAL_CONFIG)),
                        Optional.of(new TextDocument("v", ReloadProfile.INITIAL_VALUES)))
                .hash();
        awaitTrue(() -> holder.current().orElseThrow().hash().equals(initial), "initial config back");
    }

    static void publish(String config, String mesh) {
        publish(config, mesh, ReloadProfile.INITIAL_VALUES);
    }

    static void publish(String config, String mesh, String values) {
        ReloadProfile.DIR.publish(Map.of("config", config, "mesh", mesh, "values", values));
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("not within 2 s: " + what);
    }

    static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("app")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app")
                .endContainer()
                .endSpec()
                .build();
    }

    static JsonNode inject(Pod pod) {
        String answer = given().contentType("application/json")
                .body(Reviews.request("u", "demo", pod).toString())
                .post("/inject")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return Mappers.JSON.readTree(answer).get("response");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aChangeIsInServiceWithinTwoSecondsAndItsHashIsInTheReadinessData() throws Exception {
        String before = holder.current().orElseThrow().hash();
        double reloads = metric("sidecar_injector_config_reloads_total");
        publish("policy: enabled\n", ReloadProfile.INITIAL_MESH, "{\"global\": {\"tag\": \"second\"}}");
        awaitTrue(() -> !holder.current().orElseThrow().hash().equals(before), "new revision");
        String after = holder.current().orElseThrow().hash();

        JsonNode response = inject(pod());
        Pod injected = Mappers.JSON.treeToValue(
                PodPatch.apply(
                        Reviews.patch(Mappers.JSON.createObjectNode().set("response", response)), PodPatch.tree(pod())),
                Pod.class);
        InjectionStatus status =
                InjectionStatus.parse(injected.getMetadata().getAnnotations().get(InjectionStatus.ANNOTATION));
        assertEquals("default", status.revision());
        assertTrue(injected.getSpec().getContainers().get(1).getImage().endsWith(":second"));
        assertTrue(metric("sidecar_injector_config_reloads_total") > reloads);
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body(
                        "checks.find { it.name == 'injection-configuration' }.data.configuration",
                        org.hamcrest.Matchers.equalTo(after));
    }

    @Test
    void anAnswerGivenBeforeAReloadIsNotGivenAfterIt() {
        publish(ReloadProfile.INITIAL_CONFIG, ReloadProfile.INITIAL_MESH, "{\"global\": {\"tag\": \"before\"}}");
        awaitTrue(
                () -> holder.current()
                        .orElseThrow()
                        .documents()
                        .values()
                        .text("global.tag")
                        .equals("before"),
                "before");
        assertTrue(proxyImage(inject(pod())).endsWith(":before"));
        assertTrue(proxyImage(inject(pod())).endsWith(":before"));
        publish(ReloadProfile.INITIAL_CONFIG, ReloadProfile.INITIAL_MESH, "{\"global\": {\"tag\": \"after\"}}");
        awaitTrue(
                () -> holder.current()
                        .orElseThrow()
                        .documents()
                        .values()
                        .text("global.tag")
                        .equals("after"),
                "after");
        assertTrue(proxyImage(inject(pod())).endsWith(":after"));
    }

    static String proxyImage(JsonNode response) {
        try {
            Pod injected = Mappers.JSON.treeToValue(
                    PodPatch.apply(
                            Reviews.patch(Mappers.JSON.createObjectNode().set("response", response)),
                            PodPatch.tree(pod())),
                    Pod.class);
            return injected.getSpec().getContainers().get(1).getImage();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePolicyOfANewConfigurationDecides() {
        publish("policy: disabled\n", ReloadProfile.INITIAL_MESH);
        awaitTrue(
                () -> holder.current()
                        .orElseThrow()
                        .documents()
                        .injection()
                        .policy()
                        .equals("disabled"),
                "disabled");
        assertEquals(
                "policy_disabled",
                inject(pod()).path("auditAnnotations").path("reason").asText());
    }

    @Test
    void anInvalidConfigurationKeepsTheLastGoodOneAndIsCounted() {
        String good = holder.current().orElseThrow().hash();
        for (String[] bad : List.of(
                new String[] {"policy: [unclosed\n", ReloadProfile.INITIAL_MESH},
                new String[] {"policy: sometimes\n", ReloadProfile.INITIAL_MESH},
                new String[] {"templates:\n  sidecar: \"{! qute !}{#if v.x}unclosed\"\n", ReloadProfile.INITIAL_MESH},
                new String[] {"templates:\n  sidecar: \"{! qute !}{v.noSuchProperty}\"\n", ReloadProfile.INITIAL_MESH},
                new String[] {"templates:\n  sidecar: \"{! qute !}- just\\n- a list\"\n", ReloadProfile.INITIAL_MESH},
                new String[] {"defaultTemplates: [missing]\n", ReloadProfile.INITIAL_MESH},
                new String[] {ReloadProfile.INITIAL_CONFIG, "defaultConfig: {statusPort: many}\n"},
                new String[] {ReloadProfile.INITIAL_CONFIG, "defaultConfig: {statusPrt: 15020}\n"})) {
            double errors = metric("sidecar_injector_config_reload_errors_total");
            publish(bad[0], bad[1]);
            awaitTrue(
                    () -> holder.lastError().isPresent()
                            && metric("sidecar_injector_config_reload_errors_total") > errors,
                    "rejected: " + bad[0]);
            assertEquals(good, holder.current().orElseThrow().hash(), "last good configuration kept");
            given().get("/q/health/ready").then().statusCode(200);
            assertTrue(inject(pod()).has("patch"), "still injects with the last good configuration");
        }
    }

    @Test
    void requestsDuringManyReloadsNeverFailNorMixTwoConfigurations() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            clients.add(pool.submit(() -> {
                int served = 0;
                while (running.get()) {
                    JsonNode response = inject(pod());
                    assertTrue(response.get("allowed").asBoolean(), response.toString());
                    JsonNode injected = PodPatch.apply(
                            Reviews.patch(Mappers.JSON.createObjectNode().set("response", response)),
                            PodPatch.tree(pod()));
                    String proxyImage = injected.at("/spec/containers/1/image").asText();
                    String initImage =
                            injected.at("/spec/initContainers/0/image").asText();
                    String tag = proxyImage.substring(proxyImage.lastIndexOf(':') + 1);
                    assertEquals(proxyImage, initImage, "one configuration per request");
                    String logLevel = injected.at("/spec/containers/1/args/4").asText();
                    assertEquals(
                            tag.equals("first") ? "--proxyLogLevel=warning" : "--proxyLogLevel=debug",
                            logLevel,
                            "one configuration per request");
                    served++;
                }
                return served;
            }));
        }
        for (int i = 0; i < 30; i++) {
            if (i % 2 == 0) {
                publish(
                        "policy: enabled\n",
                        ReloadProfile.INITIAL_MESH,
                        "{\"global\": {\"tag\": \"other\", \"proxy\": {\"logLevel\": \"debug\"}}}");
            } else {
                publish(ReloadProfile.INITIAL_CONFIG, ReloadProfile.INITIAL_MESH);
            }
            Thread.sleep(60);
        }
        running.set(false);
        int total = 0;
        for (Future<Integer> client : clients) {
            total += client.get();
        }
        pool.shutdown();
        assertTrue(total > 20, "requests served during reloads: " + total);
        assertNotEquals(0, metric("sidecar_injector_config_reloads_total"));
    }
}
