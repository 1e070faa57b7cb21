package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.sidecarinjector.policy.Outcome;
import io.sidecarinjector.support.Mappers;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The review written in two steps is the review the fabric8 model writes in one. */
class AdmissionReviewWriterTest {

    static Stream<AdmissionResult> results() {
        ArrayNode patch = Mappers.JSON.createArrayNode();
        patch.addObject().put("op", "add").put("path", "/metadata/labels/a").put("value", "b");
        Map<String, String> audit = Map.of("decision", "injected", "reason", "injected");
        return Stream.of(
                new AdmissionResult("u-1", true, patch, 0, null, audit, List.of(), Outcome.POLICY_ENABLED),
                new AdmissionResult(
                        "u \"quoted\" \\ é \u2028 \u0001",
                        true,
                        patch,
                        0,
                        null,
                        audit,
                        List.of("a warning", "another"),
                        Outcome.POLICY_ENABLED),
                new AdmissionResult("u-2", true, null, 0, null, audit, List.of(), Outcome.POLICY_DISABLED),
                new AdmissionResult("u-3", false, null, 400, "bad \"value\"", audit, List.of(), null));
    }

    @ParameterizedTest
    @MethodSource("results")
    void theReviewIsTheOneTheModelWrites(AdmissionResult result) throws Exception {
        for (String version : List.of(AdmissionReviewReader.V1, AdmissionReviewReader.V1BETA1)) {
            JsonNode written = Mappers.JSON.readTree(AdmissionReviewWriter.write(version, result));
            assertEquals(Mappers.JSON.valueToTree(expected(version, result)), written);
            assertEquals(result.uid(), written.path("response").path("uid").asText());
        }
    }

    private static AdmissionReview expected(String version, AdmissionResult result) throws Exception {
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(result.uid());
        response.setAllowed(result.allowed());
        response.setAuditAnnotations(result.auditAnnotations());
        if (!result.warnings().isEmpty()) {
            response.setWarnings(result.warnings());
        }
        if (result.patch() != null) {
            response.setPatchType("JSONPatch");
            response.setPatch(java.util.Base64.getEncoder()
                    .encodeToString(result.patch().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (!result.allowed()) {
            response.setStatus(new StatusBuilder()
                    .withCode(result.statusCode())
                    .withMessage(result.message())
                    .withStatus("Failure")
                    .build());
        }
        AdmissionReview review = new AdmissionReview();
        review.setApiVersion(version);
        review.setKind("AdmissionReview");
        review.setResponse(response);
        return review;
    }
}
