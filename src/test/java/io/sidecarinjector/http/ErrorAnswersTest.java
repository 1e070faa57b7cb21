package io.sidecarinjector.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sidecarinjector.admission.InjectEndpointTest;
import io.sidecarinjector.testing.ConfigMapDir;
import io.sidecarinjector.testing.Reviews;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two kinds of 500: an injection that fails inside the injector (a template that renders invalid YAML for some
 * pods) is a rejection with code 500 and a message in the AdmissionReview; a failure that no code caught is an HTTP
 * 500 with one line that keeps the details for the log. The second needs endpoints that fail on purpose, which only
 * the test application has ({@link FailingEndpoints}): this test has no twin against the packaged artifact.
 */
@QuarkusTest
@TestProfile(ErrorAnswersTest.FragileTemplate.class)
class ErrorAnswersTest {

    /** A template that copies the pod's app label into YAML unquoted: fine for most values, broken by some. */
    public static class FragileTemplate implements QuarkusTestProfile {
        static final ConfigMapDir DIR = ConfigMapDir.create(Map.of("config", """
                policy: enabled
                templates:
                  fragile: |
                    {! qute !}
                    metadata:
                      labels:
                        copied: {v.pod.canonicalName}
                """));

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("injector.config.file", DIR.file("config").toString());
        }
    }

    @Test
    void anInjectionThatFailsInsideTheInjectorIsRejectedWithCode500AndAMessage() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("fragile")
                .addToLabels("app", "a: [b")
                .addToAnnotations("inject.istio.io/templates", "sidecar,fragile")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .endContainer()
                .endSpec()
                .build();
        JsonNode response =
                InjectEndpointTest.post(Reviews.request("u-500", "demo", pod)).get("response");
        assertEquals("u-500", response.path("uid").asText());
        assertFalse(response.path("allowed").asBoolean(true));
        assertEquals(500, response.path("status").path("code").asInt());
        String message = response.path("status").path("message").asText();
        assertTrue(message.startsWith("sidecar injection failed: ") && message.contains("fragile"), message);
        assertEquals(1, message.lines().count(), message);
        assertEquals(
                "injection_failed",
                response.path("auditAnnotations").path("reason").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/test-only/failing-route", "/test-only/throwing-route"})
    void aFailureThatNoCodeCaughtIsAn500WithOneLineAndNoDetails(String path) {
        String message = given().get(path)
                .then()
                .statusCode(500)
                .contentType(containsString("text/plain"))
                .extract()
                .asString();
        InjectEndpointTest.assertOneLine(message, "internal error of the sidecar injector while answering GET " + path);
        assertFalse(message.contains(FailingEndpoints.SECRET), message);
        InjectEndpointTest.assertGoodRequestServed();
    }
}
