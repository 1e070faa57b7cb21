package io.sidecarinjector.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.support.ModelCopy;
import java.util.List;

/**
 * The few structural facts injection relies on, checked up front so that a malformed pod is refused with a
 * message instead of failing somewhere inside the pipeline: no null list entries, and named containers.
 */
final class PodShape {

    private PodShape() {}

    static void check(Pod pod) {
        if (pod.getMetadata() != null) {
            noNulls("metadata.ownerReferences", pod.getMetadata().getOwnerReferences());
        }
        if (pod.getSpec() == null) {
            return;
        }
        containers("spec.containers", pod.getSpec().getContainers());
        containers("spec.initContainers", pod.getSpec().getInitContainers());
        noNulls("spec.volumes", pod.getSpec().getVolumes());
        noNulls("spec.imagePullSecrets", pod.getSpec().getImagePullSecrets());
    }

    /**
     * The pod with every null label or annotation value read as empty, as the API server and Istio read them, so
     * that no step of the pipeline meets a null where a string stands.
     */
    static Pod withoutNullValues(Pod pod) {
        if (pod.getMetadata() == null
                || (!hasNull(pod.getMetadata().getLabels())
                        && !hasNull(pod.getMetadata().getAnnotations()))) {
            return pod;
        }
        Pod copy = ModelCopy.of(pod);
        copy.getMetadata().setLabels(emptyForNull(copy.getMetadata().getLabels()));
        copy.getMetadata().setAnnotations(emptyForNull(copy.getMetadata().getAnnotations()));
        return copy;
    }

    private static boolean hasNull(java.util.Map<String, String> map) {
        return map != null && map.containsValue(null);
    }

    private static java.util.Map<String, String> emptyForNull(java.util.Map<String, String> map) {
        if (map == null) {
            return null;
        }
        java.util.Map<String, String> copy = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }

    private static void containers(String field, List<Container> containers) {
        noNulls(field, containers);
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            if (c.getName() == null || c.getName().isEmpty()) {
                throw new PodRejectedException(field + "[" + i + "] has no name");
            }
            noNulls(field + "[" + i + "].ports", c.getPorts());
            noNulls(field + "[" + i + "].env", c.getEnv());
            noNulls(field + "[" + i + "].volumeMounts", c.getVolumeMounts());
        }
    }

    private static void noNulls(String field, List<?> items) {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new PodRejectedException(field + "[" + i + "] is null");
            }
        }
    }
}
