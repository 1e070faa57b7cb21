package io.sidecarinjector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.iptables.CaptureSettings;
import io.sidecarinjector.iptables.IptablesRules;
import io.sidecarinjector.overrides.PodRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kube-inject without the command line: injects every pod and pod template of a YAML text with the webhook's
 * pipeline, and says what it did.
 */
public final class WorkloadInjector {

    /**
     * @param yaml the injected documents
     * @param notes one line per pod that was skipped, and per warning
     * @param iptables for each injected pod, its name and the rules its init container installs
     */
    public record Result(String yaml, List<String> notes, List<String> iptables) {}

    private WorkloadInjector() {}

    /**
     * @param namespace the namespace for the ignored-namespace rule, instead of each document's own (or
     *        {@code default})
     */
    public static Result inject(String source, String text, ActiveConfig snapshot, Optional<String> namespace)
            throws CliException {
        List<String> notes = new ArrayList<>();
        List<String> iptables = new ArrayList<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode document : YamlDocuments.read(source, text)) {
            out.add(PodTemplates.map(
                    document,
                    (name, pod, docNamespace, workload) -> {
                        String ns = namespace.orElse(docNamespace.isEmpty() ? "default" : docNamespace);
                        InjectionResult result;
                        try {
                            result = Injector.inject(pod, ns, workload, snapshot);
                        } catch (PodRejectedException e) {
                            throw new CliException(name + ": " + e.getMessage(), e);
                        }
                        result.warnings().forEach(w -> notes.add(name + ": warning: " + w));
                        if (!result.decision().inject()) {
                            notes.add(name + ": " + result.decision().summary());
                            return pod;
                        }
                        iptables.add(name + ":");
                        rules(result.pod()).forEach(line -> iptables.add("  " + line));
                        return result.pod();
                    },
                    notes::add));
        }
        return new Result(YamlDocuments.write(out), notes, iptables);
    }

    /** The rules of the pod's istio-iptables init container, or a line saying there is none. */
    static List<String> rules(Pod pod) {
        List<Container> inits = pod.getSpec().getInitContainers() == null
                ? List.of()
                : pod.getSpec().getInitContainers();
        for (Container init : inits) {
            try {
                return IptablesRules.render(CaptureSettings.fromInitContainer(init));
            } catch (IllegalArgumentException e) {
                // not the capture container; look further
            }
        }
        return List.of(
                "# no istio-iptables init container: a CNI plugin captures the traffic, or nothing does (interception mode NONE)");
    }
}
