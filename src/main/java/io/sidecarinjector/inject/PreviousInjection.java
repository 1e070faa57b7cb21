package io.sidecarinjector.inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sidecarinjector.probe.ProbeRewriter;
import io.sidecarinjector.render.TemplateValuesFactory;

/**
 * Removes what an earlier injection added, as listed in its status annotation, and puts back the probes it
 * rewrote, so that injecting an injected pod starts from the user's pod and ends where the first injection did.
 */
final class PreviousInjection {

    private PreviousInjection() {
    }

    static Pod strip(Pod pod) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(InjectionStatus.ANNOTATION)) {
            return pod;
        }
        InjectionStatus status = InjectionStatus.parse(annotations.get(InjectionStatus.ANNOTATION));
        Pod copy = new PodBuilder(ProbeRewriter.restore(pod, TemplateValuesFactory.PROXY_CONTAINER)).build();
        Map<String, String> remaining = new LinkedHashMap<>(annotations);
        remaining.remove(InjectionStatus.ANNOTATION);
        copy.getMetadata().setAnnotations(remaining);
        if (status == null || copy.getSpec() == null) {
            return copy;
        }
        var spec = copy.getSpec();
        spec.setInitContainers(without(spec.getInitContainers(), status.initContainers(), c -> c.getName()));
        spec.setContainers(without(spec.getContainers(), status.containers(), c -> c.getName()));
        spec.setVolumes(without(spec.getVolumes(), status.volumes(), v -> v.getName()));
        spec.setImagePullSecrets(without(spec.getImagePullSecrets(), status.imagePullSecrets(), s -> s.getName()));
        return copy;
    }

    private static <T> List<T> without(List<T> items, List<String> names, Function<T, String> name) {
        if (items == null) {
            return null;
        }
        Set<String> drop = Set.copyOf(names);
        List<T> kept = new ArrayList<>();
        for (T item : items) {
            if (!drop.contains(name.apply(item))) {
                kept.add(item);
            }
        }
        return kept;
    }
}
