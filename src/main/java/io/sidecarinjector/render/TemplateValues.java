package io.sidecarinjector.render;

import java.util.List;
import java.util.Objects;

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

    /*
     * equals and hashCode are written out: the fragment cache compares values on every injection, and a record's
     * generated ones run as interpreted method handles in the native executable (about a sixth of its CPU time
     * per new pod in a profile). TemplateValuesTest checks that every component takes part.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateValues v
                && Objects.equals(revision, v.revision)
                && Objects.equals(proxyImage, v.proxyImage)
                && Objects.equals(initImage, v.initImage)
                && outboundPort == v.outboundPort
                && inboundPort == v.inboundPort
                && statusPort == v.statusPort
                && healthPort == v.healthPort
                && metricsPort == v.metricsPort
                && proxyUid == v.proxyUid
                && proxyGid == v.proxyGid
                && Objects.equals(interceptionMode, v.interceptionMode)
                && Objects.equals(includeOutboundIPRanges, v.includeOutboundIPRanges)
                && Objects.equals(excludeOutboundIPRanges, v.excludeOutboundIPRanges)
                && Objects.equals(includeInboundPorts, v.includeInboundPorts)
                && Objects.equals(excludeInboundPorts, v.excludeInboundPorts)
                && Objects.equals(excludeOutboundPorts, v.excludeOutboundPorts)
                && Objects.equals(cpuRequest, v.cpuRequest)
                && Objects.equals(memoryRequest, v.memoryRequest)
                && Objects.equals(cpuLimit, v.cpuLimit)
                && Objects.equals(memoryLimit, v.memoryLimit)
                && holdApplicationUntilProxyStarts == v.holdApplicationUntilProxyStarts
                && nativeSidecar == v.nativeSidecar
                && Objects.equals(discoveryAddress, v.discoveryAddress)
                && Objects.equals(proxyLogLevel, v.proxyLogLevel)
                && Objects.equals(proxyComponentLogLevel, v.proxyComponentLogLevel)
                && Objects.equals(trustDomain, v.trustDomain)
                && Objects.equals(workloadName, v.workloadName)
                && Objects.equals(canonicalName, v.canonicalName)
                && Objects.equals(canonicalRevision, v.canonicalRevision)
                && Objects.equals(appContainers, v.appContainers)
                && Objects.equals(podPortsJson, v.podPortsJson)
                && concurrency == v.concurrency
                && Objects.equals(proxyConfigJson, v.proxyConfigJson)
                && Objects.equals(userVolumesJson, v.userVolumesJson)
                && Objects.equals(userVolumeMountsJson, v.userVolumeMountsJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, proxyImage, initImage, outboundPort, inboundPort, statusPort, healthPort,
                metricsPort, proxyUid, proxyGid, interceptionMode, includeOutboundIPRanges, excludeOutboundIPRanges,
                includeInboundPorts, excludeInboundPorts, excludeOutboundPorts, cpuRequest, memoryRequest, cpuLimit,
                memoryLimit, holdApplicationUntilProxyStarts, nativeSidecar, discoveryAddress, proxyLogLevel,
                proxyComponentLogLevel, trustDomain, workloadName, canonicalName, canonicalRevision, appContainers,
                podPortsJson, concurrency, proxyConfigJson, userVolumesJson, userVolumeMountsJson);
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
