package io.sidecarinjector.admission;

/** A request body that is not an AdmissionReview for a pod; its message is the one-line answer to the caller. */
public class InvalidAdmissionReviewException extends Exception {

    public InvalidAdmissionReviewException(String message) {
        super(message);
    }

    public InvalidAdmissionReviewException(String message, Throwable cause) {
        super(message, cause);
    }
}
