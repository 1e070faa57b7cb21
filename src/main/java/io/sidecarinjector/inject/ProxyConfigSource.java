package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Istio's ProxyConfig resources ({@code networking.istio.io/v1beta1}) that apply to a pod, as ProxyConfig fields
 * in increasing precedence: those of the root namespace without a selector, those of the pod's namespace without a
 * selector, then those of the pod's namespace whose selector matches its labels.
 */
@FunctionalInterface
public interface ProxyConfigSource {

    /** No resources: the mesh's {@code defaultConfig} and the pod's annotation decide. */
    ProxyConfigSource NONE = (namespace, labels, rootNamespace) -> List.of();

    /**
     * @return ProxyConfig overlays (JSON field names), lowest precedence first
     */
    List<JsonNode> overlays(String namespace, Map<String, String> labels, String rootNamespace);
}
