package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.merge.PodMerger;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.overrides.PodOverrides;
import io.sidecarinjector.overrides.PodOverridesParser;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.policy.Decision;
import io.sidecarinjector.probe.ProbeRewriter;
import io.sidecarinjector.render.InjectionTemplate;
import io.sidecarinjector.render.SidecarValues;
import io.sidecarinjector.render.SidecarValuesFactory;
import io.sidecarinjector.render.TemplateInput;
import io.sidecarinjector.render.WorkloadRef;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The injection pipeline shared by the webhook and the command line: decide, render, merge, post-process, as
 * Istio's injector does. It has no HTTP and no CDI in it; the webhook turns its result into a JSON Patch, the
 * command line writes the pod out.
 */
public final class Injector {

    /** Names the templates to apply, comma-separated, instead of the configured default list. */
    public static final String TEMPLATES_ANNOTATION = Annotations.TEMPLATES;

    private static final String PROXY = SidecarValuesFactory.PROXY_CONTAINER;

    private Injector() {}

    /**
     * @param pod the pod as submitted; it is not modified
     * @param namespace the namespace the pod is created in
     * @param config the configuration to use, start to end
     * @throws PodRejectedException when the pod asks for something that cannot be honoured
     */
    public static InjectionResult inject(Pod pod, String namespace, ActiveConfig config) {
        return inject(pod, null, namespace, null, config);
    }

    /**
     * @param workload the workload the pod template belongs to (kube-inject), or null to guess it from the pod
     */
    public static InjectionResult inject(Pod pod, String namespace, WorkloadRef workload, ActiveConfig config) {
        return inject(pod, null, namespace, workload, config);
    }

    /**
     * @param submitted the pod's JSON as it came, the same pod as {@code pod}; it is not modified, and the patch
     *     is computed against it. Null when there is none: the pod's own serialisation stands for it
     * @param workload the workload the pod template belongs to (kube-inject), or null to guess it from the pod
     */
    public static InjectionResult inject(
            Pod pod, ObjectNode submitted, String namespace, WorkloadRef workload, ActiveConfig config) {
        Decision decision = config.policy().decide(pod, namespace);
        if (!decision.inject()) {
            return InjectionResult.notInjected(decision, pod);
        }
        PodShape.check(pod);
        if (submitted == null) {
            submitted = Mappers.JSON.valueToTree(pod);
        }
        // the mesh's status port: what an earlier injection pointed probes and metrics at, and what they are
        // handed over from
        int statusPort = config.documents().mesh().defaultConfig().statusPort();
        Pod base = PreviousInjection.strip(pod, statusPort);
        // what the steps read: null label and annotation values as empty; the pod itself keeps them as they are
        Pod read = PodShape.withoutNullValues(base);
        Map<String, String> annotations = annotations(read);
        PodOverrides overrides = PodOverridesParser.parse(annotations);
        Map<String, String> labels =
                read.getMetadata() == null || read.getMetadata().getLabels() == null
                        ? Map.of()
                        : read.getMetadata().getLabels();
        ProxyConfig proxyConfig = EffectiveProxyConfig.of(
                config.documents().mesh(),
                config.proxyConfigs()
                        .overlays(namespace, labels, config.documents().mesh().rootNamespace()),
                overrides);
        WorkloadRef ref = workload != null ? workload : WorkloadRef.of(read, namespace);
        List<InjectionTemplate> templates = templatesFor(annotations, config);
        Set<String> names = new HashSet<>();
        templates.forEach(t -> names.add(t.name()));
        SidecarValues values = SidecarValuesFactory.of(new TemplateInput(
                read,
                namespace,
                ref,
                config.documents(),
                proxyConfig,
                config.revision(),
                config.nativeSidecars(),
                config.switches().compliancePolicy(),
                Set.copyOf(names)));
        List<ObjectNode> fragments = config.fragments().render(templates, values);

        // what the templates add, read and never written: a single fragment is that already
        ObjectNode templatePod = fragments.size() == 1 ? fragments.get(0) : Mappers.JSON.createObjectNode();
        if (fragments.size() > 1) {
            fragments.forEach(f -> PodMerger.overlay(templatePod, f));
        }
        // a pod's tree costs more to make than to copy: a first injection starts from the submitted pod's tree
        ObjectNode merged = base == pod ? PodTree.copy(submitted) : Mappers.JSON.valueToTree(base);
        if (values.proxy().nativeSidecar()
                && PodTree.named(templatePod, "initContainers", PROXY) != null
                && PodTree.named(merged, "containers", PROXY) != null) {
            move(merged, PROXY);
        }
        fragments.forEach(f -> PodMerger.overlay(merged, f));
        UserContainers.reapply(merged, base, templatePod, pod != base && hasStatus(pod));
        UserContainers.adjustInitUser(merged, base, proxyConfig.interceptionMode());
        postProcess(merged, templatePod, config, proxyConfig, overrides, statusPort);
        List<String> warnings = new ArrayList<>(decision.warnings());
        warnings.addAll(overrides.warnings());
        return InjectionResult.injected(decision, pod, submitted, merged, warnings);
    }

    private static void postProcess(
            ObjectNode pod,
            ObjectNode templatePod,
            ActiveConfig config,
            ProxyConfig proxyConfig,
            PodOverrides overrides,
            int statusPort) {
        ObjectNode proxy = PodTree.ownContainer(pod, PROXY);
        PrometheusMerge.apply(pod, proxy, config.documents().mesh(), statusPort);
        ObjectNode annotations = PodTree.metadataMap(pod, "annotations");
        // read from the pod as the templates left it: a template may turn rewriting off (grpc-agent does)
        boolean rewrite = parseBool(annotations.path(Annotations.REWRITE_PROBES).textValue())
                .orElse(config.documents()
                        .values()
                        .bool("sidecarInjectorWebhook.rewriteAppHTTPProbe")
                        .orElse(true));
        int rewriteTo = overrides.statusPort().orElse(statusPort);
        if (proxy != null && rewrite && rewriteTo != 0) {
            ProbeRewriter.rewrite(pod, PROXY, statusPort, rewriteTo);
        }
        ObjectNode labels = PodTree.metadataMap(pod, "labels");
        if (labels.path(Annotations.NETWORK_LABEL).textValue() == null
                && config.documents().values().truthy("global.network")) {
            labels.put(Annotations.NETWORK_LABEL, config.documents().values().text("global.network"));
        }
        annotations.put(
                InjectionStatus.ANNOTATION,
                InjectionStatus.of(templatePod, config.revision()).toJson());
        config.documents().injection().injectedAnnotations().forEach(annotations::put);
        boolean hold = proxyConfig.holdApplicationUntilProxyStarts().orElse(false)
                || config.documents().values().isTrue("global.proxy.holdApplicationUntilProxyStarts");
        ContainerOrder.apply(pod, hold);
    }

    /** A boolean as Go's strconv.ParseBool reads it, empty when it is not one. */
    static Optional<Boolean> parseBool(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> Optional.of(true);
            case "0", "f", "F", "false", "FALSE", "False" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** A proxy the pod declares among its containers moves to the init containers, where a native sidecar is. */
    private static void move(ObjectNode pod, String name) {
        ArrayNode containers = PodTree.ownList(pod, "containers");
        int index = PodTree.indexOf(containers, name);
        if (index < 0) {
            return;
        }
        JsonNode container = containers.remove(index);
        ArrayNode init = PodTree.ownList(pod, "initContainers");
        (init != null ? init : PodTree.ownObject(pod, "spec").putArray("initContainers")).add(container);
    }

    private static boolean hasStatus(Pod pod) {
        return annotations(pod).containsKey(InjectionStatus.ANNOTATION);
    }

    static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
    }

    private static List<InjectionTemplate> templatesFor(Map<String, String> annotations, ActiveConfig config) {
        String requested = annotations.get(TEMPLATES_ANNOTATION);
        List<String> names = requested == null
                ? config.documents().injection().defaultTemplates()
                : Arrays.stream(requested.split(",")).map(String::trim).toList();
        List<String> resolved = new ArrayList<>();
        for (String name : names) {
            resolved.addAll(config.documents().injection().aliases().getOrDefault(name, List.of(name)));
        }
        List<InjectionTemplate> templates = new ArrayList<>();
        for (String name : resolved) {
            String unsupported = config.templates().unsupported().get(name);
            if (unsupported != null) {
                throw new PodRejectedException("template \"" + Messages.shown(name) + "\" cannot be rendered by this"
                        + " injector: " + unsupported);
            }
            templates.add(config.templates()
                    .get(name)
                    .orElseThrow(() -> new PodRejectedException("annotation " + TEMPLATES_ANNOTATION
                            + " names unknown template \"" + Messages.shown(name)
                            + "\" (known: "
                            + String.join(
                                    ", ",
                                    config.templates().names().stream().sorted().toList())
                            + ")")));
        }
        return templates;
    }
}
