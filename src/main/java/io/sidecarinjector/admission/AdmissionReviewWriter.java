package io.sidecarinjector.admission;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.sidecarinjector.config.Mappers;

/** Writes an AdmissionReview answer in the version the request came in. */
public final class AdmissionReviewWriter {

    private static final String PATCH_TYPE = "JSONPatch";

    private AdmissionReviewWriter() {
    }

    public static byte[] write(String apiVersion, AdmissionResult result) {
        Object review = AdmissionReviewReader.V1BETA1.equals(apiVersion) ? v1beta1(result) : v1(result);
        try {
            return Mappers.JSON.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the AdmissionReview answer could not be written", e);
        }
    }

    private static io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview v1(AdmissionResult result) {
        var response = new io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse();
        response.setUid(result.uid());
        response.setAllowed(result.allowed());
        response.setAuditAnnotations(new LinkedHashMap<>(result.auditAnnotations()));
        if (!result.warnings().isEmpty()) {
            response.setWarnings(result.warnings());
        }
        if (result.patch() != null) {
            response.setPatchType(PATCH_TYPE);
            response.setPatch(encode(result));
        }
        if (!result.allowed()) {
            response.setStatus(status(result));
        }
        var review = new io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview();
        review.setApiVersion(AdmissionReviewReader.V1);
        review.setKind("AdmissionReview");
        review.setResponse(response);
        return review;
    }

    private static io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview v1beta1(AdmissionResult result) {
        var response = new io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionResponse();
        response.setUid(result.uid());
        response.setAllowed(result.allowed());
        response.setAuditAnnotations(new LinkedHashMap<>(result.auditAnnotations()));
        if (!result.warnings().isEmpty()) {
            response.setWarnings(result.warnings());
        }
        if (result.patch() != null) {
            response.setPatchType(PATCH_TYPE);
            response.setPatch(encode(result));
        }
        if (!result.allowed()) {
            response.setStatus(status(result));
        }
        var review = new io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview();
        review.setApiVersion(AdmissionReviewReader.V1BETA1);
        review.setKind("AdmissionReview");
        review.setResponse(response);
        return review;
    }

    private static String encode(AdmissionResult result) {
        return Base64.getEncoder().encodeToString(result.patch().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Status status(AdmissionResult result) {
        return new StatusBuilder().withCode(result.statusCode()).withMessage(result.message())
                .withStatus("Failure").build();
    }
}
