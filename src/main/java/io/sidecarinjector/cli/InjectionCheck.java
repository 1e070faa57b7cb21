package io.sidecarinjector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.policy.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * check-inject without the command line: for each pod template, whether the webhook would be called, whether it
 * would inject and which rule decides, and the traffic-capture rules of an injected pod.
 */
public final class InjectionCheck {

    static final String INJECTION = "istio-injection";
    static final String REV = "istio.io/rev";
    static final String INJECT = "sidecar.istio.io/inject";

    private InjectionCheck() {}

    /**
     * @param namespaceLabels the labels of the pod's namespace, when known
     */
    public static List<String> check(
            String source,
            String text,
            ActiveConfig snapshot,
            Optional<String> namespace,
            Optional<Map<String, String>> namespaceLabels)
            throws CliException {
        List<String> lines = new ArrayList<>();
        for (JsonNode document : YamlDocuments.read(source, text)) {
            PodTemplates.map(
                    document,
                    (name, pod, docNamespace, workload) -> {
                        String ns = namespace.orElse(docNamespace.isEmpty() ? "default" : docNamespace);
                        lines.add(name + " (namespace " + ns + "):");
                        namespaceLabels.ifPresent(
                                labels -> lines.add("  webhook: " + webhookCall(labels, pod, snapshot.revision())));
                        try {
                            InjectionResult result = Injector.inject(pod, ns, workload, snapshot);
                            lines.add("  decision: " + result.decision().summary() + " ("
                                    + result.decision().outcome().code() + ")");
                            result.warnings().forEach(w -> lines.add("  warning: " + w));
                            if (result.decision().inject()) {
                                WorkloadInjector.rules(result.pod()).forEach(line -> lines.add("  " + line));
                            }
                        } catch (PodRejectedException e) {
                            lines.add("  decision: rejected: " + e.getMessage() + " (" + Outcome.INVALID_POD.code()
                                    + ")");
                        }
                        return pod;
                    },
                    warning -> lines.add("note: " + warning));
        }
        return lines;
    }

    /**
     * Whether one of Istio's four webhooks of the revision served calls the injector for this pod, and which: the
     * {@code istio-injection} namespace label and {@code sidecar.istio.io/inject=true} pod label choose the default
     * revision, {@code istio.io/rev} any revision.
     */
    public static String webhookCall(Map<String, String> namespaceLabels, Pod pod, String revision) {
        String served = revision == null || revision.isEmpty() ? "default" : revision;
        boolean isDefault = served.equals("default");
        Map<String, String> podLabels = PodTemplates.labels(pod);
        boolean refused = "false".equals(podLabels.get(INJECT));
        String skipped = "not called: the pod is labelled sidecar.istio.io/inject=false, so it is created as it is";
        if (namespaceLabels.containsKey(INJECTION)) {
            if (isDefault && "enabled".equals(namespaceLabels.get(INJECTION))) {
                return refused ? skipped : "called (namespace labelled istio-injection=enabled)";
            }
            return "not called: the namespace's istio-injection=" + namespaceLabels.get(INJECTION)
                    + " does not choose revision " + served + ", so the pod is created as it is";
        }
        if (namespaceLabels.containsKey(REV)) {
            if (served.equals(namespaceLabels.get(REV))) {
                return refused ? skipped : "called (namespace labelled istio.io/rev=" + served + ")";
            }
            return "not called: the namespace chooses revision " + namespaceLabels.get(REV) + ", not " + served;
        }
        if (podLabels.containsKey(REV)) {
            if (served.equals(podLabels.get(REV)) && !refused) {
                return "called (pod labelled istio.io/rev=" + served + ")";
            }
            return refused ? skipped : "not called: the pod chooses revision " + podLabels.get(REV) + ", not " + served;
        }
        if (isDefault && "true".equals(podLabels.get(INJECT))) {
            return "called (pod labelled sidecar.istio.io/inject=true)";
        }
        return "not called: neither the namespace (istio-injection, istio.io/rev) nor the pod (istio.io/rev"
                + (isDefault ? ", sidecar.istio.io/inject=true" : "") + ") chooses revision " + served
                + ", so the pod is created as it is";
    }
}
