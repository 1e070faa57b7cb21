package io.sidecarinjector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.istio.MeshSchema;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.istio.YamlTree;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.render.TemplateCatalog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code check-config} prints: for each key the given documents set, whether it takes effect on injected pods
 * or is accepted and ignored. Which values take effect is observed, not listed: sample pods are injected with every
 * built-in template and each value path the templates read is recorded.
 */
final class ConfigReport {

    /** MeshConfig fields other than defaultConfig that change an injected pod. */
    static final Set<String> MESH_FIELDS = Set.of(
            "trustDomain",
            "rootNamespace",
            "enablePrometheusMerge",
            "proxyListenPort",
            "proxyInboundListenPort",
            "inboundTrafficPolicy",
            "extensionProviders");
    /** ProxyConfig fields that shape the pod itself, beyond being handed to the proxy in PROXY_CONFIG. */
    static final Set<String> POD_SHAPING_PROXY_FIELDS = Set.of(
            "statusPort", "interceptionMode", "holdApplicationUntilProxyStarts", "proxyMetadata", "image", "tracing");

    private ConfigReport() {}

    static List<String> of(Engine engine, ConfigFiles sources, String revision, IstioSwitches switches)
            throws InvalidConfigException {
        IstioDocuments documents = sources.load();
        Set<String> read = new TreeSet<>();
        ActiveConfig config = ActiveConfigFactory.build(
                engine, documents.withValues(documents.values().observed(read::add)), revision, switches, () -> false);
        for (String template : List.of("sidecar", "gateway", "grpc-simple", "grpc-agent")) {
            Pod pod = ActiveConfigFactory.samplePod();
            pod.getMetadata().getAnnotations().put(Injector.TEMPLATES_ANNOTATION, template);
            try {
                Injector.inject(pod, "default", config);
            } catch (PodRejectedException e) {
                // a template the configuration replaced by one that refuses the sample: nothing read
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("configuration " + documents.hash() + (revision.isEmpty() ? "" : ", revision " + revision)
                + "; " + IstioSwitches.NATIVE_SIDECARS_VARIABLE + "="
                + switches.nativeSidecars().name().toLowerCase()
                + (switches.compliancePolicy().isEmpty()
                        ? ""
                        : ", " + IstioSwitches.COMPLIANCE_POLICY_VARIABLE + "=" + switches.compliancePolicy()));
        mesh(sources.mesh(), lines);
        injection(sources.config(), config, lines);
        values(sources.values(), read, lines);
        return lines;
    }

    private static void mesh(Optional<TextDocument> source, List<String> lines) throws InvalidConfigException {
        lines.add("MeshConfig (" + source.map(TextDocument::name).orElse("built-in defaults") + "):");
        JsonNode tree = tree(source, "MeshConfig");
        Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("defaultConfig")) {
                field.getValue()
                        .fieldNames()
                        .forEachRemaining(name -> lines.add("  defaultConfig." + name + ": "
                                + (POD_SHAPING_PROXY_FIELDS.contains(name)
                                        ? "takes effect (shapes the pod, and PROXY_CONFIG)"
                                        : "takes effect (PROXY_CONFIG, read by the proxy)")));
            } else {
                lines.add("  " + field.getKey() + ": "
                        + (MESH_FIELDS.contains(field.getKey())
                                ? "takes effect"
                                : "accepted; read by istiod, not by injection"));
            }
        }
    }

    private static void injection(Optional<TextDocument> source, ActiveConfig config, List<String> lines)
            throws InvalidConfigException {
        lines.add("injection configuration (" + source.map(TextDocument::name).orElse("built-in defaults") + "):");
        JsonNode tree = tree(source, "");
        tree.fieldNames().forEachRemaining(name -> {
            if (name.equals("template")) {
                lines.add("  template: accepted; Istio's legacy key, not used");
            } else if (!name.equals("templates")) {
                lines.add("  " + name + ": takes effect");
            }
        });
        for (Map.Entry<String, String> entry :
                config.documents().injection().templates().entrySet()) {
            String name = entry.getKey();
            String why = config.templates().unsupported().get(name);
            String what;
            if (why != null) {
                what = "not rendered here: " + why;
            } else if (entry.getValue() != null
                    && entry.getValue().stripLeading().startsWith(TemplateCatalog.QUTE_MARKER)) {
                what = "a Qute template, takes effect";
            } else if (entry.getValue() != null && !entry.getValue().contains("{{")) {
                what = "plain YAML, takes effect";
            } else {
                what = "Istio's stock template, served by the built-in equivalent (its text is not used)";
            }
            lines.add("  templates." + name + ": " + what);
        }
    }

    private static void values(Optional<TextDocument> source, Set<String> read, List<String> lines)
            throws InvalidConfigException {
        lines.add("values (" + source.map(TextDocument::name).orElse("built-in defaults") + "):");
        List<String> leaves = new ArrayList<>();
        leaves(tree(source, ""), "", leaves);
        for (String path : leaves) {
            boolean used =
                    read.stream().anyMatch(r -> r.equals(path) || path.startsWith(r + ".") || r.startsWith(path + "."));
            lines.add("  " + path + ": " + (used ? "takes effect" : "accepted; no template reads it"));
        }
    }

    /** A document's own keys (under Istio's JSON names for a MeshConfig); empty when it is absent. */
    private static JsonNode tree(Optional<TextDocument> source, String type) throws InvalidConfigException {
        if (source.isEmpty()) {
            return io.sidecarinjector.support.Mappers.JSON.createObjectNode();
        }
        YamlTree tree = YamlTree.parse(source.get());
        return tree.isEmpty()
                ? io.sidecarinjector.support.Mappers.JSON.createObjectNode()
                : MeshSchema.normalized(tree.tree(), type);
    }

    private static void leaves(JsonNode node, String path, List<String> out) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields()
                    .forEachRemaining(
                            e -> leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (!path.isEmpty()) {
            out.add(path);
        }
    }
}
