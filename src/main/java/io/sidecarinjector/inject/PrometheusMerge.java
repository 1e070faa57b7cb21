package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.support.Mappers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's metrics merge: the proxy serves the application's metrics together with its own on its status port. The
 * pod's {@code prometheus.io/*} annotations (in any spelling that sanitises to the same label) move into the
 * proxy's {@code ISTIO_PROMETHEUS_ANNOTATIONS}, and new ones point Prometheus at the proxy. A pod that turns
 * scraping off, or merging off ({@code prometheus.istio.io/merge-metrics: "false"}), is left alone.
 */
final class PrometheusMerge {

    static final String MERGE_ANNOTATION = "prometheus.istio.io/merge-metrics";
    static final String SCRAPE = "prometheus_io_scrape";
    static final String PORT = "prometheus_io_port";
    static final String PATH = "prometheus_io_path";
    static final String ENV = "ISTIO_PROMETHEUS_ANNOTATIONS";

    private PrometheusMerge() {}

    static void apply(ObjectNode pod, ObjectNode proxy, MeshConfig mesh, int statusPort) {
        Map<String, String> annotations = PodTree.strings(pod, "annotations");
        if (!scrape(annotations) || !enabled(mesh, annotations)) {
            return;
        }
        String target = String.valueOf(statusPort);
        String port = find(annotations, PORT);
        if (target.equals(port)) {
            return; // already pointing at the proxy: injected before, or the author's choice
        }
        String scrape = find(annotations, SCRAPE);
        String path = find(annotations, PATH);
        if (proxy != null && (scrape != null || path != null || port != null)) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("scrape", scrape == null ? "" : scrape);
            config.put("path", path == null ? "" : path);
            config.put("port", port == null ? "" : port);
            PodTree.addEnv(proxy, ENV, json(config));
        }
        clear(annotations);
        annotations.put("prometheus.io/port", target);
        annotations.put("prometheus.io/path", "/stats/prometheus");
        annotations.put("prometheus.io/scrape", "true");
        PodTree.putStrings(pod, "annotations", annotations);
    }

    /**
     * Undoes the merge of an earlier injection: the prometheus.io annotations that point at the proxy's status port
     * go, and those the proxy kept in {@code ISTIO_PROMETHEUS_ANNOTATIONS} come back.
     */
    static void restore(Map<String, String> annotations, Pod pod, int statusPort) {
        if (!String.valueOf(statusPort).equals(find(annotations, PORT))) {
            return;
        }
        clear(annotations);
        String kept = null;
        for (List<Container> list : java.util.Arrays.asList(
                pod.getSpec() == null ? null : pod.getSpec().getContainers(),
                pod.getSpec() == null ? null : pod.getSpec().getInitContainers())) {
            for (Container c : list == null ? List.<Container>of() : list) {
                if ("istio-proxy".equals(c.getName()) && c.getEnv() != null) {
                    for (EnvVar e : c.getEnv()) {
                        if (ENV.equals(e.getName())) {
                            kept = e.getValue();
                        }
                    }
                }
            }
        }
        if (kept == null) {
            return;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode original = Mappers.JSON.readTree(kept);
            for (String field : List.of("scrape", "path", "port")) {
                String value = original.path(field).asText("");
                if (!value.isEmpty()) {
                    annotations.put("prometheus.io/" + field, value);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not ours to read: the pod is injected without it
        }
    }

    private static void clear(Map<String, String> annotations) {
        annotations.keySet().removeIf(k -> sanitizesTo(k, SCRAPE) || sanitizesTo(k, PORT) || sanitizesTo(k, PATH));
    }

    private static boolean scrape(Map<String, String> annotations) {
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (sanitizesTo(e.getKey(), SCRAPE) && e.getValue() != null) {
                String value = e.getValue().trim().toLowerCase(java.util.Locale.ROOT);
                if (List.of("1", "t", "true").contains(value)) {
                    return true;
                }
                if (List.of("0", "f", "false").contains(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean enabled(MeshConfig mesh, Map<String, String> annotations) {
        String value = annotations.get(MERGE_ANNOTATION);
        if (value != null && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value);
        }
        return mesh.enablePrometheusMerge().orElse(true);
    }

    private static String find(Map<String, String> annotations, String label) {
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (sanitizesTo(e.getKey(), label)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Whether an annotation key, as a Prometheus label name, is this label: every character of the key other than a
     * letter, digit or _ counts as _. Compared in place: every annotation of every pod is tested against three labels.
     */
    static boolean sanitizesTo(String key, String label) {
        if (key.length() != label.length()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if ((kept ? c : '_') != label.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String json(Object value) {
        try {
            return Mappers.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
