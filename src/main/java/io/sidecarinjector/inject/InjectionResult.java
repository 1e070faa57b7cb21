package io.sidecarinjector.inject;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.policy.Decision;

/**
 * @param decision what the rules decided, and why
 * @param pod the injected pod, or the pod unchanged when it is not injected
 * @param warnings what the pod's author should know
 */
public record InjectionResult(Decision decision, Pod pod, List<String> warnings) {

    public InjectionResult {
        warnings = List.copyOf(warnings);
    }
}
