package io.sidecarinjector.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.probe.ProbeRewriter;
import io.sidecarinjector.render.SidecarValuesFactory;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.ModelCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes what an earlier injection added, as listed in its status annotation, puts back the probes it rewrote
 * and the pod's own versions of injected containers ({@code proxy.istio.io/overrides}), so that injecting an
 * injected pod starts from the author's pod and ends where the first injection did.
 */
final class PreviousInjection {

    private PreviousInjection() {}

    /** @param statusPort the proxy's status port: prometheus.io annotations pointing at it were injected */
    static Pod strip(Pod pod, int statusPort) {
        Map<String, String> annotations =
                pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(InjectionStatus.ANNOTATION)) {
            return pod;
        }
        InjectionStatus status = InjectionStatus.parse(annotations.get(InjectionStatus.ANNOTATION));
        Pod copy = ModelCopy.of(ProbeRewriter.restore(pod, SidecarValuesFactory.PROXY_CONTAINER));
        Map<String, String> remaining = new LinkedHashMap<>(annotations);
        remaining.remove(InjectionStatus.ANNOTATION);
        PrometheusMerge.restore(remaining, copy, statusPort);
        copy.getMetadata().setAnnotations(remaining);
        if (status == null || copy.getSpec() == null) {
            return copy;
        }
        PodSpec spec = copy.getSpec();
        spec.setInitContainers(without(spec.getInitContainers(), status.initContainers(), Container::getName));
        spec.setContainers(without(spec.getContainers(), status.containers(), Container::getName));
        spec.setVolumes(without(spec.getVolumes(), status.volumes(), v -> v.getName()));
        spec.setImagePullSecrets(without(spec.getImagePullSecrets(), status.imagePullSecrets(), s -> s.getName()));
        reinsertOverrides(spec, remaining.get(Annotations.PROXY_OVERRIDES));
        return copy;
    }

    /** The pod's own versions of injected containers, as the first injection recorded them. */
    private static void reinsertOverrides(PodSpec spec, String overrides) {
        if (overrides == null) {
            return;
        }
        try {
            JsonNode tree = Mappers.JSON.readTree(overrides);
            spec.setContainers(with(spec.getContainers(), tree.path("containers")));
            spec.setInitContainers(with(spec.getInitContainers(), tree.path("initContainers")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // not ours to read: the pod is injected from what it has
        }
    }

    private static List<Container> with(List<Container> containers, JsonNode recorded) throws JsonProcessingException {
        List<Container> result = containers == null ? new ArrayList<>() : new ArrayList<>(containers);
        for (JsonNode node : recorded) {
            Container c = Mappers.JSON.treeToValue(node, Container.class);
            if (result.stream().noneMatch(existing -> existing.getName().equals(c.getName()))) {
                result.add(c);
            }
        }
        return result.isEmpty() && containers == null ? null : result;
    }

    private static <T> List<T> without(List<T> items, List<String> names, Function<T, String> name) {
        if (items == null || names == null) {
            return items;
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
