package io.sidecarinjector.config;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The injection document (ConfigMap key {@code config}), in Istio's shape. Every key has its default in
 * {@code defaults/injection.yaml}; a user document only overrides the keys it names.
 *
 * @param policy {@code enabled} injects unless a pod refuses; {@code disabled} injects only pods that ask
 * @param alwaysInjectSelector pods matching one of these are injected when they make no explicit choice
 * @param neverInjectSelector pods matching one of these are not injected when they make no explicit choice
 * @param injectedAnnotations annotations added to every injected pod
 * @param templates extra Qute templates by name; a name shared with a built-in template replaces it
 * @param defaultTemplates the templates applied when a pod names none
 * @param ignoredNamespaces namespaces whose pods are never injected
 */
@RegisterForReflection
public record InjectionConfig(
        @JsonProperty(required = true) String policy,
        List<LabelSelector> alwaysInjectSelector,
        List<LabelSelector> neverInjectSelector,
        Map<String, String> injectedAnnotations,
        Map<String, String> templates,
        List<String> defaultTemplates,
        List<String> ignoredNamespaces) {

    public InjectionConfig {
        alwaysInjectSelector = alwaysInjectSelector == null ? List.of() : List.copyOf(alwaysInjectSelector);
        neverInjectSelector = neverInjectSelector == null ? List.of() : List.copyOf(neverInjectSelector);
        injectedAnnotations = injectedAnnotations == null ? Map.of() : Map.copyOf(injectedAnnotations);
        templates = templates == null ? Map.of() : Map.copyOf(templates);
        defaultTemplates = defaultTemplates == null ? List.of() : List.copyOf(defaultTemplates);
        ignoredNamespaces = ignoredNamespaces == null ? List.of() : List.copyOf(ignoredNamespaces);
    }
}
