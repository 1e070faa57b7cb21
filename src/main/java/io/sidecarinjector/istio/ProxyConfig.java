package io.sidecarinjector.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.JsonMerge;
import io.sidecarinjector.support.Mappers;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Istio's ProxyConfig (the mesh's {@code defaultConfig}, ProxyConfig resources, the {@code proxy.istio.io/config}
 * annotation), as the tree of its JSON form with typed accessors for the fields that shape an injected pod.
 * Immutable: {@link #overlaidWith} makes a new one.
 */
public final class ProxyConfig {

    /** Istio's defaults of the fields that the proxy is not told about when they have these values. */
    private static final Map<String, JsonNode> DEFAULTS = defaults();

    private final ObjectNode tree;

    /** {@link #envJson}, made at its first use: a pod without its own ProxyConfig shares the mesh's. */
    private volatile String envJson;

    private ProxyConfig(ObjectNode tree) {
        this.tree = tree;
    }

    /** @param tree a ProxyConfig already checked against the schema, with JSON field names; it is copied */
    public static ProxyConfig of(JsonNode tree) {
        return new ProxyConfig(tree instanceof ObjectNode object ? object.deepCopy() : Mappers.JSON.createObjectNode());
    }

    /**
     * This ProxyConfig with another laid over it field by field, as Istio merges ProxyConfigs of increasing
     * precedence: a message merges into a message, anything else (a scalar, a list) replaces; proxyMetadata merges
     * key by key.
     */
    public ProxyConfig overlaidWith(JsonNode overlay) {
        if (!(overlay instanceof ObjectNode object) || object.isEmpty()) {
            return this;
        }
        ObjectNode merged = tree.deepCopy();
        // a null says nothing; the overlay is copied, so that this ProxyConfig shares no node with its caller
        JsonMerge.into(merged, object.deepCopy(), JsonMerge.Null.IGNORED, Set.of());
        return new ProxyConfig(merged);
    }

    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /** The proxy's status port (health checks, merged metrics); 0 turns it off. */
    public int statusPort() {
        return tree.path("statusPort").asInt(15020);
    }

    /** REDIRECT, TPROXY or NONE. */
    public String interceptionMode() {
        JsonNode mode = tree.get("interceptionMode");
        if (mode == null || mode.isNull()) {
            return "REDIRECT";
        }
        if (mode.isNumber()) {
            return switch (mode.asInt()) {
                case 1 -> "TPROXY";
                case 2 -> "NONE";
                default -> "REDIRECT";
            };
        }
        return mode.asText();
    }

    /** holdApplicationUntilProxyStarts, when it is set. */
    public Optional<Boolean> holdApplicationUntilProxyStarts() {
        JsonNode hold = tree.get("holdApplicationUntilProxyStarts");
        return hold == null || hold.isNull() ? Optional.empty() : Optional.of(hold.asBoolean());
    }

    /** proxyMetadata in key order, as the proxy's environment receives it. */
    public Map<String, String> proxyMetadata() {
        Map<String, String> metadata = new TreeMap<>();
        tree.path("proxyMetadata")
                .fields()
                .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return metadata;
    }

    /** image.imageType ({@code default}, {@code distroless}, {@code debug}), when it is set. */
    public Optional<String> imageType() {
        JsonNode type = tree.path("image").get("imageType");
        return type == null || type.isNull() ? Optional.empty() : Optional.of(type.asText());
    }

    /** tracing.tlsSettings.caCertificates, when it is set. */
    public Optional<String> tracingCaCertificates() {
        JsonNode ca = tree.path("tracing").path("tlsSettings").get("caCertificates");
        return ca == null || ca.isNull() || ca.asText().isEmpty() ? Optional.empty() : Optional.of(ca.asText());
    }

    /**
     * The ProxyConfig as the proxy receives it in its {@code PROXY_CONFIG} variable: the fields that only repeat
     * Istio's defaults are left out, as Istio leaves them out, so the proxy applies its own defaults.
     */
    public String envJson() {
        String json = envJson;
        if (json == null) {
            json = cleanedJson();
            envJson = json;
        }
        return json;
    }

    private String cleanedJson() {
        ObjectNode cleaned = tree.deepCopy();
        DEFAULTS.forEach((field, value) -> {
            if (value.equals(cleaned.get(field))) {
                cleaned.remove(field);
            }
        });
        if (cleaned.path("proxyMetadata").isEmpty()) {
            cleaned.remove("proxyMetadata");
        }
        return Mappers.yamlSafeJson(cleaned);
    }

    private static Map<String, JsonNode> defaults() {
        try {
            ObjectNode node = (ObjectNode) Mappers.JSON.readTree("""
                    {"configPath": "./etc/istio/proxy", "binaryPath": "/usr/local/bin/envoy",
                     "serviceCluster": "istio-proxy", "drainDuration": "45s", "terminationDrainDuration": "5s",
                     "discoveryAddress": "istiod.istio-system.svc:15012", "controlPlaneAuthPolicy": "MUTUAL_TLS",
                     "proxyAdminPort": 15000, "statNameLength": 189, "statusPort": 15020}
                    """);
            Map<String, JsonNode> defaults = new TreeMap<>();
            node.fields().forEachRemaining(e -> defaults.put(e.getKey(), e.getValue()));
            return Map.copyOf(defaults);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyConfig other && tree.equals(other.tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return tree.toString();
    }
}
