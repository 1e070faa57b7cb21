package io.sidecarinjector.reload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sidecarinjector.testing.ConfigMapDir;
import io.sidecarinjector.testing.Reviews;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** With no valid configuration at all, the instance stays alive but not ready, and says why. */
@QuarkusTest
@TestProfile(InvalidAtStartupTest.BrokenConfig.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InvalidAtStartupTest {

    public static class BrokenConfig implements QuarkusTestProfile {
        static final ConfigMapDir DIR = ConfigMapDir.create(Map.of("config", "policy: maybe\n"));

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("injector.config.file", DIR.file("config").toString(), "injector.reload.interval", "100ms");
        }
    }

    @Test
    @Order(1)
    void notReadyWithTheReasonAliveAndInjectionRefused() {
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'injection-configuration' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'injection-configuration' }.data.lastError", containsString("'maybe'"));
        given().get("/q/health/live").then().statusCode(200);
        given().contentType("application/json")
                .body(Reviews.request(
                                "u-1",
                                "demo",
                                new PodBuilder()
                                        .withNewMetadata()
                                        .withName("p")
                                        .endMetadata()
                                        .withNewSpec()
                                        .addNewContainer()
                                        .withName("c")
                                        .withImage("i")
                                        .endContainer()
                                        .endSpec()
                                        .build())
                        .toString())
                .post("/inject")
                .then()
                .statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(503))
                .body(
                        "response.status.message",
                        equalTo("sidecar injection unavailable: no valid injection configuration is loaded"));
    }

    @Test
    @Order(2)
    void becomesReadyOnceAValidConfigurationArrives() throws InterruptedException {
        BrokenConfig.DIR.publish(Map.of("config", "policy: enabled\n"));
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline
                && given().get("/q/health/ready").then().extract().statusCode() != 200) {
            Thread.sleep(50);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
