package io.sidecarinjector.admission;

import io.sidecarinjector.metrics.InjectorMetrics.FailureType;

/**
 * An answer ready to be sent to any request that asks the same question: the result (for metrics and logs), its
 * AdmissionResponse written without a uid, and, when the injector itself failed, how.
 */
record PreparedAnswer(AdmissionResult result, byte[] response, FailureType failure) {

    static PreparedAnswer of(AdmissionResult result) {
        return new PreparedAnswer(result, AdmissionReviewWriter.response(result), null);
    }

    static PreparedAnswer failed(AdmissionResult result, FailureType failure) {
        return new PreparedAnswer(result, AdmissionReviewWriter.response(result), failure);
    }
}
