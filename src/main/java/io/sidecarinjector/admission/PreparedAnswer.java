package io.sidecarinjector.admission;

import io.sidecarinjector.metrics.InjectorMetrics.FailureType;
import io.sidecarinjector.policy.Reason;

/**
 * An answer ready to be sent to any request that asks the same question: its AdmissionResponse written without a
 * uid, what metrics and logs need of the result, and, when the injector itself failed, how. It keeps no tree of
 * the patch: answers are held in a cache bounded by their bytes, and a patch's tree weighs several times its
 * bytes.
 *
 * @param allowed whether the pod may be created
 * @param injected whether the answer carries a patch
 * @param reason the rule that decided, or null when none was reached
 * @param message why the pod was rejected, or null
 * @param decision the decision, as the audit annotation says it
 * @param reasonCode the code of the reason, as the audit annotation says it
 */
record PreparedAnswer(byte[] response, boolean allowed, boolean injected, Reason reason, String message,
        String decision, String reasonCode, FailureType failure) {

    static PreparedAnswer of(AdmissionResult result) {
        return of(result, null);
    }

    static PreparedAnswer failed(AdmissionResult result, FailureType failure) {
        return of(result, failure);
    }

    private static PreparedAnswer of(AdmissionResult result, FailureType failure) {
        return new PreparedAnswer(AdmissionReviewWriter.response(result), result.allowed(), result.patch() != null,
                result.reason(), result.message(), result.auditAnnotations().get(AdmissionAnswers.AUDIT_DECISION),
                result.auditAnnotations().get(AdmissionAnswers.AUDIT_REASON), failure);
    }
}
