package io.sidecarinjector.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The parts of an AdmissionReview request that injection needs.
 *
 * @param apiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}; the answer uses the same
 * @param uid the request's uid, echoed in the answer
 * @param namespace the namespace of the request (a pod made by a controller carries none in its metadata)
 * @param operation CREATE, UPDATE, ...
 * @param pod the pod
 * @param submitted the pod's JSON as it came, which the patch is computed against; null when it is not known, and
 *     then the pod's own serialisation stands for it
 */
public record PodAdmissionRequest(
        String apiVersion, String uid, String namespace, String operation, Pod pod, ObjectNode submitted) {}
