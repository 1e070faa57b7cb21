package io.sidecarinjector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.policy.PodSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * check-inject without the command line: for each pod template, whether the webhook would be called, whether it
 * would inject and which rule decides, and the traffic-capture rules of an injected pod.
 */
public final class InjectionCheck {

    /** The selectors of the MutatingWebhookConfiguration that the build emits. */
    public static final PodSelector NAMESPACE_SELECTOR = PodSelector.of(new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("istio-injection")
            .withOperator("In")
            .withValues("enabled")
            .endMatchExpression()
            .build());

    public static final PodSelector OBJECT_SELECTOR = PodSelector.of(new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("sidecar.istio.io/inject")
            .withOperator("NotIn")
            .withValues("false")
            .endMatchExpression()
            .build());

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
                        namespaceLabels.ifPresent(labels -> lines.add("  webhook: " + webhookCall(labels, pod)));
                        try {
                            InjectionResult result = Injector.inject(pod, ns, workload, snapshot);
                            lines.add("  decision: " + result.decision().summary() + " ("
                                    + result.decision().outcome().code() + ")");
                            result.warnings().forEach(w -> lines.add("  warning: " + w));
                            if (result.decision().inject()) {
                                WorkloadInjector.rules(result.pod()).forEach(line -> lines.add("  " + line));
                            }
                        } catch (PodRejectedException e) {
                            lines.add("  decision: rejected: " + e.getMessage() + " (invalid_pod)");
                        }
                        return pod;
                    },
                    warning -> lines.add("note: " + warning));
        }
        return lines;
    }

    static String webhookCall(Map<String, String> namespaceLabels, Pod pod) {
        if (!NAMESPACE_SELECTOR.matches(namespaceLabels)) {
            return "not called: the namespace is not labelled istio-injection=enabled, so the pod is created as it is";
        }
        if (!OBJECT_SELECTOR.matches(PodTemplates.labels(pod))) {
            return "not called: the pod is labelled sidecar.istio.io/inject=false, so it is created as it is";
        }
        return "called (namespace labelled istio-injection=enabled)";
    }
}
