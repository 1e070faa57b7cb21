package io.sidecarinjector.render;

import java.util.List;

import io.quarkus.qute.TemplateData;

/**
 * Everything a template may use, already resolved from the mesh config, the pod and its annotations. Templates
 * print strings with {@code .quoted} so that a value from the pod always lands as one YAML scalar. The
 * {@code *Json} values are JSON documents written by the injector itself (never the pod's text), so a template
 * may print them as they are: JSON is YAML.
 */
@TemplateData
public record TemplateValues(
        String revision,
        String proxyImage,
        String initImage,
        int outboundPort,
        int inboundPort,
        int statusPort,
        int healthPort,
        int metricsPort,
        long proxyUid,
        long proxyGid,
        String interceptionMode,
        String includeOutboundIPRanges,
        String excludeOutboundIPRanges,
        String includeInboundPorts,
        String excludeInboundPorts,
        String excludeOutboundPorts,
        String cpuRequest,
        String memoryRequest,
        String cpuLimit,
        String memoryLimit,
        boolean holdApplicationUntilProxyStarts,
        boolean nativeSidecar,
        String discoveryAddress,
        String proxyLogLevel,
        String proxyComponentLogLevel,
        String trustDomain,
        String workloadName,
        String canonicalName,
        String canonicalRevision,
        List<String> appContainers,
        String podPortsJson,
        int concurrency,
        String proxyConfigJson,
        List<String> userVolumesJson,
        List<String> userVolumeMountsJson) {

    public TemplateValues {
        appContainers = List.copyOf(appContainers);
        userVolumesJson = List.copyOf(userVolumesJson);
        userVolumeMountsJson = List.copyOf(userVolumeMountsJson);
    }

    /** The application container that kubectl should pick by default, or empty when the pod has none. */
    public String defaultContainer() {
        return appContainers.isEmpty() ? "" : appContainers.get(0);
    }

    /** Whether TPROXY interception is on: the proxy then needs NET_ADMIN to bind transparently. */
    public boolean tproxy() {
        return "TPROXY".equals(interceptionMode);
    }
}
