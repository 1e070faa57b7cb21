package io.sidecarinjector.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Istio's MeshConfig (ConfigMap {@code istio}, key {@code mesh}), merged over Istio's defaults and checked against
 * Istio's schema. Every field is accepted; the accessors are the fields that shape an injected pod.
 */
public final class MeshConfig {

    private final ObjectNode tree;
    private final ProxyConfig defaultConfig;

    MeshConfig(ObjectNode tree) {
        this.tree = tree;
        this.defaultConfig = ProxyConfig.of(tree.path("defaultConfig"));
    }

    /** The mesh-wide ProxyConfig, before ProxyConfig resources and pod annotations. */
    public ProxyConfig defaultConfig() {
        return defaultConfig;
    }

    public String trustDomain() {
        return tree.path("trustDomain").asText("");
    }

    public String rootNamespace() {
        return tree.path("rootNamespace").asText("istio-system");
    }

    /** Whether the proxy merges the application's Prometheus metrics with its own; unset means on. */
    public Optional<Boolean> enablePrometheusMerge() {
        JsonNode merge = tree.get("enablePrometheusMerge");
        return merge == null || merge.isNull() ? Optional.empty() : Optional.of(merge.asBoolean());
    }

    /** {@code localhost} or {@code passthrough}: where the proxy sends inbound traffic. */
    public String inboundTrafficPolicyMode() {
        return "LOCALHOST".equals(tree.path("inboundTrafficPolicy").path("mode").asText())
                ? "localhost"
                : "passthrough";
    }

    /** The port outbound traffic is redirected to, as a string for the capture arguments. */
    public String proxyListenPort() {
        return port("proxyListenPort", "15001");
    }

    /** The port inbound traffic is redirected to. */
    public String proxyInboundListenPort() {
        return port("proxyInboundListenPort", "15006");
    }

    private String port(String field, String fallback) {
        int port = tree.path(field).asInt(0);
        return port == 0 ? fallback : String.valueOf(port);
    }

    /** Whether an extension provider asks for OpenTelemetry's semantic conventions in resource attributes. */
    public boolean otelSemanticConventions() {
        for (JsonNode provider : tree.path("extensionProviders")) {
            if ("OTEL_SEMANTIC_CONVENTIONS"
                    .equals(provider.path("opentelemetry")
                            .path("serviceAttributeEnrichment")
                            .asText())) {
                return true;
            }
        }
        return false;
    }

    public ObjectNode tree() {
        return tree.deepCopy();
    }
}
