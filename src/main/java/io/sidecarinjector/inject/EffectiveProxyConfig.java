package io.sidecarinjector.inject;

import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.overrides.PodOverrides;

/**
 * A pod's ProxyConfig, field by field in Istio's order of precedence: the mesh's {@code defaultConfig}, then the
 * pod's {@code proxy.istio.io/config} annotation (any ProxyConfig field, checked when the annotations were read).
 */
final class EffectiveProxyConfig {

    private EffectiveProxyConfig() {
    }

    static ProxyConfig of(MeshConfig mesh, PodOverrides overrides) {
        return overrides.proxyConfig().map(mesh.defaultConfig()::overlaidWith).orElse(mesh.defaultConfig());
    }
}
