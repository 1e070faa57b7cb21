package io.sidecarinjector.admission;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.sidecarinjector.config.Mappers;

/**
 * Writes an AdmissionReview answer in the version the request came in. The v1beta1 response has the same fields
 * as v1, so it is written from the v1 model with only its apiVersion changed.
 */
public final class AdmissionReviewWriter {

    private static final String PATCH_TYPE = "JSONPatch";

    private AdmissionReviewWriter() {
    }

    public static byte[] write(String apiVersion, AdmissionResult result) {
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(result.uid());
        response.setAllowed(result.allowed());
        response.setAuditAnnotations(new LinkedHashMap<>(result.auditAnnotations()));
        if (!result.warnings().isEmpty()) {
            response.setWarnings(result.warnings());
        }
        if (result.patch() != null) {
            response.setPatchType(PATCH_TYPE);
            response.setPatch(Base64.getEncoder().encodeToString(
                    result.patch().toString().getBytes(StandardCharsets.UTF_8)));
        }
        if (!result.allowed()) {
            response.setStatus(new StatusBuilder().withCode(result.statusCode()).withMessage(result.message())
                    .withStatus("Failure").build());
        }
        AdmissionReview review = new AdmissionReview();
        review.setApiVersion(AdmissionReviewReader.V1BETA1.equals(apiVersion) ? AdmissionReviewReader.V1BETA1
                : AdmissionReviewReader.V1);
        review.setKind("AdmissionReview");
        review.setResponse(response);
        try {
            return Mappers.JSON.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the AdmissionReview answer could not be written", e);
        }
    }
}
