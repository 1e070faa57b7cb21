package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.policy.Decision;
import java.util.List;

/**
 * @param decision what the rules decided, and why
 * @param pod the injected pod, or the pod unchanged when it is not injected
 * @param warnings what the pod's author should know
 * @param submitted the pod as submitted, as the JSON tree of its own serialisation, when it was injected (null
 *        otherwise); made once for the merge, it is what a patch is computed against, and belongs to whoever
 *        takes it from here
 */
public record InjectionResult(Decision decision, Pod pod, List<String> warnings, ObjectNode submitted) {

    public InjectionResult {
        warnings = List.copyOf(warnings);
    }
}
