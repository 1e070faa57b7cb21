package io.sidecarinjector.policy;

import java.util.List;

/**
 * The outcome of the injection rules for one pod.
 *
 * @param outcome the rule that decided
 * @param detail a sentence naming what the rule saw, e.g. {@code pod label sidecar.istio.io/inject=false}
 * @param warnings things the pod's author should fix, returned to them as admission warnings
 */
public record Decision(Outcome outcome, String detail, List<String> warnings) {

    public Decision {
        warnings = List.copyOf(warnings);
    }

    public boolean inject() {
        return outcome.inject();
    }

    /** The decision as written in the audit annotation and by check-inject. */
    public String summary() {
        return inject() ? "injected" : "skipped: " + detail;
    }
}
