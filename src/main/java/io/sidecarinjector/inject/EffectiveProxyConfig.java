package io.sidecarinjector.inject;

import java.util.Map;

import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.MeshSchema;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.istio.YamlTree;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.support.Messages;

/**
 * A pod's ProxyConfig, field by field in Istio's order of precedence: the mesh's {@code defaultConfig}, then the
 * pod's {@code proxy.istio.io/config} annotation (any ProxyConfig field, checked against Istio's schema).
 */
final class EffectiveProxyConfig {

    private EffectiveProxyConfig() {
    }

    /** @throws PodRejectedException when the annotation is not a valid ProxyConfig */
    static ProxyConfig of(MeshConfig mesh, Map<String, String> annotations) {
        String text = annotations.get(Annotations.PROXY_CONFIG);
        if (text == null || text.isBlank()) {
            return mesh.defaultConfig();
        }
        try {
            YamlTree tree = YamlTree.parse(new TextDocument("annotation " + Annotations.PROXY_CONFIG, text));
            if (tree.isEmpty()) {
                return mesh.defaultConfig();
            }
            MeshSchema.checkProxyConfig(tree);
            return mesh.defaultConfig().overlaidWith(MeshSchema.normalized(tree.tree(), "ProxyConfig"));
        } catch (InvalidConfigException e) {
            throw new PodRejectedException("annotation " + Annotations.PROXY_CONFIG + " is invalid: "
                    + Messages.oneLine(e.getMessage().replace("annotation " + Annotations.PROXY_CONFIG + ": ", "")), e);
        }
    }
}
