package io.sidecarinjector.overrides;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Optional;

/**
 * What a pod's annotations change in its injection, validated. Empty means "the mesh default".
 *
 * @param proxyConfig the {@code proxy.istio.io/config} annotation, checked, with JSON field names
 * @param warnings what the pod's author should know (unknown annotations)
 */
public record PodOverrides(
        Optional<String> proxyImage,
        Optional<String> interceptionMode,
        Optional<String> cpuRequest,
        Optional<String> memoryRequest,
        Optional<String> cpuLimit,
        Optional<String> memoryLimit,
        Optional<String> includeOutboundIPRanges,
        Optional<String> excludeOutboundIPRanges,
        Optional<String> includeInboundPorts,
        Optional<String> excludeInboundPorts,
        Optional<String> excludeOutboundPorts,
        Optional<Integer> statusPort,
        Optional<Boolean> rewriteProbes,
        Optional<Boolean> nativeSidecar,
        Optional<JsonNode> proxyConfig,
        List<Volume> userVolumes,
        List<VolumeMount> userVolumeMounts,
        Optional<String> logLevel,
        Optional<String> componentLogLevel,
        List<String> warnings) {

    public PodOverrides {
        userVolumes = List.copyOf(userVolumes);
        userVolumeMounts = List.copyOf(userVolumeMounts);
        warnings = List.copyOf(warnings);
    }
}
