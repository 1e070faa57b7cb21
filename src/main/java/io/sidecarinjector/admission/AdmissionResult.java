package io.sidecarinjector.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sidecarinjector.policy.Outcome;
import java.util.List;
import java.util.Map;

/**
 * The answer to one admission request, independent of the AdmissionReview version.
 *
 * @param uid the request's uid
 * @param allowed whether the pod may be created
 * @param patch the JSON Patch to apply, or null for none
 * @param statusCode with {@code allowed == false}: the HTTP-like code the API server reports to the client
 * @param message with {@code allowed == false}: why
 * @param auditAnnotations decision and reason, for the API server's audit log
 * @param warnings shown to the client that created the pod
 * @param outcome how the request ended: the rule that decided, or why the pod was refused
 */
public record AdmissionResult(
        String uid,
        boolean allowed,
        ArrayNode patch,
        int statusCode,
        String message,
        Map<String, String> auditAnnotations,
        List<String> warnings,
        Outcome outcome) {

    public AdmissionResult {
        auditAnnotations = Map.copyOf(auditAnnotations);
        warnings = List.copyOf(warnings);
    }
}
