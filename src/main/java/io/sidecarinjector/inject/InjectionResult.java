package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.policy.Decision;
import java.util.List;

/**
 * What injection made of a pod. An injected pod is held as the JSON tree the pipeline built, the form its patch
 * is computed from; it is read into the model only by whoever asks for {@link #pod()}.
 *
 * @param decision what the rules decided, and why
 * @param original the pod as submitted
 * @param submitted the pod as submitted, as a JSON tree (the JSON it came in, or the model's own serialisation),
 *        when it was injected (null otherwise): what a patch is computed against
 * @param injected the injected pod as a JSON tree, or null when it was not injected
 * @param warnings what the pod's author should know
 */
public record InjectionResult(
        Decision decision, Pod original, ObjectNode submitted, ObjectNode injected, List<String> warnings) {

    public InjectionResult {
        warnings = List.copyOf(warnings);
    }

    static InjectionResult notInjected(Decision decision, Pod pod) {
        return new InjectionResult(decision, pod, null, null, decision.warnings());
    }

    static InjectionResult injected(
            Decision decision, Pod original, ObjectNode submitted, ObjectNode injected, List<String> warnings) {
        return new InjectionResult(decision, original, submitted, injected, warnings);
    }

    /** The injected pod, or the pod unchanged when it is not injected; each call reads the tree anew. */
    public Pod pod() {
        return injected == null ? original : PodTree.read(injected, Pod.class);
    }
}
