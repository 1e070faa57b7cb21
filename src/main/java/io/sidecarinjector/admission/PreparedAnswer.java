package io.sidecarinjector.admission;

import io.sidecarinjector.policy.Outcome;

/**
 * An answer ready to be sent to any request that asks the same question: its AdmissionResponse written without a
 * uid, and what metrics and logs need of the result. It keeps no tree of
 * the patch: answers are held in a cache bounded by their bytes, and a patch's tree weighs several times its
 * bytes.
 *
 * @param allowed whether the pod may be created
 * @param injected whether the answer carries a patch
 * @param outcome how the request ended
 * @param message why the pod was rejected, or null
 * @param decision the decision, as the audit annotation says it
 */
record PreparedAnswer(
        byte[] response, boolean allowed, boolean injected, Outcome outcome, String message, String decision) {

    static PreparedAnswer of(AdmissionResult result) {
        return new PreparedAnswer(
                AdmissionReviewWriter.response(result),
                result.allowed(),
                result.patch() != null,
                result.outcome(),
                result.message(),
                result.auditAnnotations().get(AdmissionAnswers.AUDIT_DECISION));
    }
}
