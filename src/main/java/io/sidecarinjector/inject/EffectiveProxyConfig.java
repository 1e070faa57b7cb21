package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.overrides.PodOverrides;
import java.util.List;

/**
 * A pod's ProxyConfig, field by field in Istio's order of precedence: the mesh's {@code defaultConfig}, then the
 * ProxyConfig resources that apply to it (root namespace, its namespace, a selector matching its labels), then the
 * pod's {@code proxy.istio.io/config} annotation (any ProxyConfig field, checked when the annotations were read).
 */
final class EffectiveProxyConfig {

    private EffectiveProxyConfig() {}

    static ProxyConfig of(MeshConfig mesh, List<JsonNode> resources, PodOverrides overrides) {
        ProxyConfig config = mesh.defaultConfig();
        for (JsonNode resource : resources) {
            config = config.overlaidWith(resource);
        }
        return overrides.proxyConfig().map(config::overlaidWith).orElse(config);
    }
}
