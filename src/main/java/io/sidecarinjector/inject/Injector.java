package io.sidecarinjector.inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.sidecarinjector.merge.PodMerger;
import io.sidecarinjector.overrides.PodOverrides;
import io.sidecarinjector.overrides.PodOverridesParser;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.config.Messages;
import io.sidecarinjector.probe.ProbeRewriter;
import io.sidecarinjector.policy.Decision;
import io.sidecarinjector.render.InjectionTemplate;
import io.sidecarinjector.render.TemplateValues;
import io.sidecarinjector.render.TemplateValuesFactory;

/**
 * The injection pipeline shared by the webhook and the command line: decide, render, merge. It has no HTTP and
 * no CDI in it; the webhook turns its result into a JSON Patch, the command line writes the pod out.
 */
public final class Injector {

    /** Names the templates to apply, comma-separated, instead of the configured default list. */
    public static final String TEMPLATES_ANNOTATION = io.sidecarinjector.overrides.Annotations.TEMPLATES;

    private Injector() {
    }

    /**
     * @param pod the pod as submitted; it is not modified
     * @param namespace the namespace the pod is created in
     * @param snapshot the configuration to use, start to end
     * @throws PodRejectedException when the pod asks for something that cannot be honoured
     */
    public static InjectionResult inject(Pod pod, String namespace, InjectorSnapshot snapshot) {
        Decision decision = snapshot.policy().decide(pod, namespace);
        if (!decision.inject()) {
            return new InjectionResult(decision, pod, decision.warnings(), null);
        }
        PodShape.check(pod);
        // a pod's tree costs more to make than to copy, and a first injection merges into the submitted pod itself
        ObjectNode submitted = Mappers.JSON.valueToTree(pod);
        Pod base = PreviousInjection.strip(pod);
        PodOverrides overrides = PodOverridesParser.parse(annotations(base));
        List<InjectionTemplate> templates = templatesFor(base, snapshot);
        TemplateValues values = TemplateValuesFactory.of(base, snapshot.config().mesh(), snapshot.revision(),
                overrides);
        List<ObjectNode> fragments = snapshot.fragments().render(templates, values);
        // a native sidecar starts first by being an init container; otherwise holding needs it first in the list
        // the merged pod is a new object that this pipeline owns: the steps after the merge change it in place
        ObjectNode baseTree = base == pod ? submitted.deepCopy() : Mappers.JSON.valueToTree(base);
        Pod injected = PodMerger.merge(baseTree, fragments,
                values.holdApplicationUntilProxyStarts() && !values.nativeSidecar());
        if (overrides.rewriteProbes().orElse(true) && values.statusPort() != 0) {
            ProbeRewriter.rewrite(injected, TemplateValuesFactory.PROXY_CONTAINER, values.statusPort());
        }
        annotate(injected, added(base, injected, snapshot.revision()),
                snapshot.config().injection().injectedAnnotations());
        List<String> warnings = new ArrayList<>(decision.warnings());
        warnings.addAll(overrides.warnings());
        return new InjectionResult(decision, injected, warnings, submitted);
    }

    private static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
    }

    private static List<InjectionTemplate> templatesFor(Pod pod, InjectorSnapshot snapshot) {
        String requested = annotations(pod).get(TEMPLATES_ANNOTATION);
        List<String> names = requested == null || requested.isBlank()
                ? snapshot.config().injection().defaultTemplates()
                : Arrays.stream(requested.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<InjectionTemplate> templates = new ArrayList<>();
        for (String name : names) {
            templates.add(snapshot.templates().get(name).orElseThrow(() -> new PodRejectedException(
                    "annotation " + TEMPLATES_ANNOTATION + " names unknown template \"" + Messages.shown(name) + "\" (known: "
                            + String.join(", ", snapshot.templates().names().stream().sorted().toList()) + ")")));
        }
        return templates;
    }

    /** What the merge added, by name: only those are recorded, so a user's own istio-proxy stays the user's. */
    private static InjectionStatus added(Pod before, Pod after, String revision) {
        PodSpec b = before.getSpec() == null ? new PodSpec() : before.getSpec();
        PodSpec a = after.getSpec();
        return new InjectionStatus(
                newNames(b.getInitContainers(), a.getInitContainers(), Container::getName),
                newNames(b.getContainers(), a.getContainers(), Container::getName),
                newNames(b.getVolumes(), a.getVolumes(), Volume::getName),
                newNames(b.getImagePullSecrets(), a.getImagePullSecrets(), LocalObjectReference::getName),
                revision);
    }

    private static <T> List<String> newNames(List<T> before, List<T> after, Function<T, String> name) {
        Set<String> existing = before == null ? Set.of()
                : before.stream().map(name).filter(n -> n != null).collect(java.util.stream.Collectors.toSet());
        return after == null ? List.of()
                : after.stream().map(name).filter(n -> n != null && !existing.contains(n)).toList();
    }

    private static void annotate(Pod pod, InjectionStatus status, Map<String, String> injectedAnnotations) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (meta.getAnnotations() != null) {
            annotations.putAll(meta.getAnnotations());
        }
        injectedAnnotations.forEach(annotations::putIfAbsent);
        annotations.put(InjectionStatus.ANNOTATION, status.toJson());
        meta.setAnnotations(annotations);
        pod.setMetadata(meta);
    }
}
