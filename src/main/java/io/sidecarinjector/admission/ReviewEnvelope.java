package io.sidecarinjector.admission;

/**
 * An AdmissionReview for a pod whose JSON has been checked in full, with the pod still as the bytes it came in.
 * The pod is read into the model only when it must be: a pod whose answer is already known needs no reading.
 *
 * @param apiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}
 * @param uid the request's uid
 * @param namespace the request's namespace, or else the pod's own, or else empty
 * @param operation CREATE, UPDATE, ...; CREATE when the request names none
 * @param podName the pod's name, or else its generateName, or else empty (for logs)
 * @param body the request body
 * @param objectOffset where {@code request.object} starts in the body
 * @param objectLength its length in bytes
 */
public record ReviewEnvelope(
        String apiVersion,
        String uid,
        String namespace,
        String operation,
        String podName,
        byte[] body,
        int objectOffset,
        int objectLength) {

    /**
     * Reads the pod into a JSON tree and the model, as the Kubernetes schema types it (see {@link PodReader}).
     *
     * @throws InvalidAdmissionReviewException when {@code request.object} is valid JSON but not a valid Pod
     */
    public PodAdmissionRequest bind() throws InvalidAdmissionReviewException {
        PodReader.Submitted pod = PodReader.read(body, objectOffset, objectLength);
        return new PodAdmissionRequest(apiVersion, uid, namespace, operation, pod.pod(), pod.tree());
    }
}
