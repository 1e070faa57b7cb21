package io.sidecarinjector.istio;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The injector's configuration (ConfigMap {@code istio-sidecar-injector}, key {@code config}), in Istio's shape.
 *
 * @param policy {@code enabled} injects unless a pod refuses; {@code disabled} injects only pods that ask
 * @param defaultTemplates the templates applied when a pod names none ({@code sidecar} when empty)
 * @param templates templates by name: Istio's Go templates (a stock one is served by this injector's own
 *        equivalent) or this injector's Qute templates (see {@link ConfiguredTemplates})
 * @param aliases a name that stands for several templates
 * @param neverInjectSelector pods matching one of these are not injected when they make no explicit choice
 * @param alwaysInjectSelector pods matching one of these are injected when they make no explicit choice
 * @param injectedAnnotations annotations added to every injected pod
 * @param template Istio's legacy single template; read for compatibility, never used
 */
@RegisterForReflection
public record InjectionConfig(
        String policy,
        List<String> defaultTemplates,
        Map<String, String> templates,
        Map<String, List<String>> aliases,
        List<LabelSelector> neverInjectSelector,
        List<LabelSelector> alwaysInjectSelector,
        Map<String, String> injectedAnnotations,
        String template) {

    public InjectionConfig {
        policy = policy == null ? "enabled" : policy;
        defaultTemplates = defaultTemplates == null || defaultTemplates.isEmpty()
                ? List.of("sidecar")
                : List.copyOf(defaultTemplates);
        templates = templates == null ? Map.of() : Map.copyOf(templates);
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        neverInjectSelector = neverInjectSelector == null ? List.of() : List.copyOf(neverInjectSelector);
        alwaysInjectSelector = alwaysInjectSelector == null ? List.of() : List.copyOf(alwaysInjectSelector);
        injectedAnnotations = injectedAnnotations == null ? Map.of() : Map.copyOf(injectedAnnotations);
    }
}
