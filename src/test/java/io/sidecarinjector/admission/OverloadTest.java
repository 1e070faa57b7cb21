package io.sidecarinjector.admission;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sidecarinjector.testing.Reviews;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no capacity for pods not seen before, a new pod is refused at once with code 429 in a well-formed review,
 * counted, and a bad body is still a 400.
 */
@QuarkusTest
@TestProfile(OverloadTest.NoCapacity.class)
class OverloadTest {

    public static class NoCapacity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("injector.max-pending-injections", "0");
        }
    }

    @Test
    void aNewPodIsRefusedWithA429AndItsCreatorIsToldToRetry() {
        double overloaded = InjectEndpointTest.metric("sidecar_injection_failure_total{type=\"overloaded\"}");
        JsonNode answer = InjectEndpointTest.post(Reviews.request("u-busy", "demo", InjectEndpointTest.pod("busy")));
        JsonNode response = answer.get("response");
        assertEquals("u-busy", response.path("uid").asText());
        assertFalse(response.path("allowed").asBoolean(true));
        assertEquals(429, response.path("status").path("code").asInt());
        assertTrue(response.path("status").path("message").asText().contains("retry"));
        assertEquals(
                "overloaded", response.path("auditAnnotations").path("reason").asText());
        assertEquals(1, InjectEndpointTest.metric("sidecar_injection_failure_total{type=\"overloaded\"}") - overloaded);
    }

    @Test
    void aBadBodyIsStillA400() {
        given().contentType("application/json")
                .body("{\"apiVersion\": 1}")
                .when()
                .post("/inject")
                .then()
                .statusCode(400);
    }

    @Test
    void aLargeBodyIsRefusedWithHttp429() {
        StringBuilder padding = new StringBuilder();
        while (padding.length() <= AdmissionHandler.QUICK_BODY_LIMIT) {
            padding.append("0123456789abcdef");
        }
        var review = Reviews.request("u-large", "demo", InjectEndpointTest.pod("large"));
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        review.get("request").get("object").get("metadata"))
                .putObject("annotations")
                .put("padding", padding.toString());
        String message = given().contentType("application/json")
                .body(review.toString())
                .when()
                .post("/inject")
                .then()
                .statusCode(429)
                .header("Retry-After", "1")
                .extract()
                .asString();
        InjectEndpointTest.assertOneLine(message, "overloaded: retry");
    }
}
