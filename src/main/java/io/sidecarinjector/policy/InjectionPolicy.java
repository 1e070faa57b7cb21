package io.sidecarinjector.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.istio.InjectionConfig;
import io.sidecarinjector.support.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Istio's injection rules, in Istio's order of precedence: host network, ignored namespace, the pod's explicit
 * choice (label, then annotation), the never/always selectors, then the policy. Built once per configuration.
 */
public final class InjectionPolicy {

    /** The per-pod override, read as a label first and then as an annotation. */
    public static final String INJECT_KEY = io.sidecarinjector.overrides.Annotations.INJECT;

    private static final Logger LOG = Logger.getLogger(InjectionPolicy.class);

    /** Namespaces whose pods Istio never injects. */
    public static final Set<String> IGNORED_NAMESPACES =
            Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");

    private final String policy;
    private final Set<String> ignoredNamespaces;
    private final List<PodSelector> neverSelectors;
    private final List<PodSelector> alwaysSelectors;
    private final List<String> configProblems;

    private InjectionPolicy(InjectionConfig config, List<String> problems) {
        this.policy = config.policy();
        this.ignoredNamespaces = IGNORED_NAMESPACES;
        this.neverSelectors = compile("neverInjectSelector", config.neverInjectSelector(), problems);
        this.alwaysSelectors = compile("alwaysInjectSelector", config.alwaysInjectSelector(), problems);
        this.configProblems = List.copyOf(problems);
    }

    /** Compiles the selectors; an invalid one is dropped and reported in {@link #configProblems()}. */
    public static InjectionPolicy of(InjectionConfig config) {
        return new InjectionPolicy(config, new ArrayList<>());
    }

    /** What was wrong with the configuration and has been ignored. */
    public List<String> configProblems() {
        return configProblems;
    }

    private static List<PodSelector> compile(String key, List<LabelSelector> selectors, List<String> problems) {
        List<PodSelector> compiled = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) {
            try {
                compiled.add(PodSelector.of(selectors.get(i)));
            } catch (IllegalArgumentException e) {
                String problem = key + "[" + i + "] is invalid and ignored: " + e.getMessage();
                LOG.warn(problem);
                problems.add(problem);
            }
        }
        return List.copyOf(compiled);
    }

    /**
     * @param pod the pod as submitted
     * @param namespace the namespace of the request (pods from controllers carry none in their metadata)
     */
    public Decision decide(Pod pod, String namespace) {
        List<String> warnings = new ArrayList<>();
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();

        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return new Decision(Outcome.HOST_NETWORK, "hostNetwork", warnings);
        }
        if (namespace != null && ignoredNamespaces.contains(namespace)) {
            return new Decision(Outcome.IGNORED_NAMESPACE, "namespace " + namespace + " is ignored", warnings);
        }
        if (!"enabled".equals(policy) && !"disabled".equals(policy)) {
            return new Decision(
                    Outcome.INVALID_POLICY, "invalid policy '" + policy + "' in the injection config", warnings);
        }
        Optional<ExplicitChoice> explicit = explicitChoice(labels, annotations, warnings);
        if (explicit.isPresent()) {
            ExplicitChoice choice = explicit.get();
            String what = "pod " + choice.source() + " " + INJECT_KEY + "=" + choice.inject();
            return new Decision(
                    choice.inject() ? Outcome.EXPLICITLY_ENABLED : Outcome.EXPLICITLY_DISABLED, what, warnings);
        }
        for (PodSelector selector : neverSelectors) {
            if (selector.matches(labels)) {
                return new Decision(
                        Outcome.NEVER_INJECT_SELECTOR, "neverInjectSelector " + selector + " matches", warnings);
            }
        }
        for (PodSelector selector : alwaysSelectors) {
            if (selector.matches(labels)) {
                return new Decision(
                        Outcome.ALWAYS_INJECT_SELECTOR, "alwaysInjectSelector " + selector + " matches", warnings);
            }
        }
        return "enabled".equals(policy)
                ? new Decision(Outcome.POLICY_ENABLED, "policy enabled", warnings)
                : new Decision(
                        Outcome.POLICY_DISABLED, "policy disabled and the pod does not ask for injection", warnings);
    }

    private record ExplicitChoice(String source, boolean inject) {}

    private static Optional<ExplicitChoice> explicitChoice(
            Map<String, String> labels, Map<String, String> annotations, List<String> warnings) {
        // as in Istio: a label that is present decides, even empty (then there is no explicit choice)
        String source = "label";
        String value = labels.get(INJECT_KEY);
        if (!labels.containsKey(INJECT_KEY)) {
            source = "annotation";
            value = annotations.get(INJECT_KEY);
        }
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value) {
            case "true" -> Optional.of(new ExplicitChoice(source, true));
            case "false" -> Optional.of(new ExplicitChoice(source, false));
            default -> {
                warnings.add("pod " + source + " " + INJECT_KEY + "='" + Messages.shown(value)
                        + "' is ignored: only \"true\" and \"false\" are accepted");
                yield Optional.empty();
            }
        };
    }
}
