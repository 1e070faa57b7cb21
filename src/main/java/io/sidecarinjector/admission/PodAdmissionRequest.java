package io.sidecarinjector.admission;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The parts of an AdmissionReview request that injection needs.
 *
 * @param apiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}; the answer uses the same
 * @param uid the request's uid, echoed in the answer
 * @param namespace the namespace of the request (a pod made by a controller carries none in its metadata)
 * @param operation CREATE, UPDATE, ...
 * @param pod the pod
 */
public record PodAdmissionRequest(String apiVersion, String uid, String namespace, String operation, Pod pod) {}
