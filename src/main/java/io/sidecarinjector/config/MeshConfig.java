package io.sidecarinjector.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The mesh document (ConfigMap key {@code mesh}): what the proxy and its init container are made of. Every key
 * has its default in {@code defaults/mesh.yaml}; a user document only overrides the keys it names.
 *
 * @param hub registry and repository prefix of the images, e.g. {@code docker.io/istio}
 * @param tag image tag
 * @param proxyImage image of {@code istio-proxy}; a name without '/' is prefixed with the hub and suffixed with
 *        the tag
 * @param initImage image of {@code istio-init}, same rule
 * @param ports the proxy's well-known ports
 * @param proxyUid uid the proxy runs as, exempt from redirection
 * @param proxyGid gid the proxy runs as
 * @param interceptionMode {@code REDIRECT} or {@code TPROXY}
 * @param includeOutboundIPRanges CIDRs whose outbound traffic is redirected, {@code *} for all
 * @param excludeOutboundIPRanges CIDRs never redirected
 * @param includeInboundPorts inbound ports captured, {@code *} for all
 * @param excludeInboundPorts inbound ports never captured, added to the proxy's own
 * @param excludeOutboundPorts outbound ports never redirected
 * @param resources the proxy's default requests and limits
 * @param holdApplicationUntilProxyStarts start the proxy before the application containers
 * @param nativeSidecar inject the proxy as a Kubernetes native sidecar (init container, restartPolicy Always)
 * @param discoveryAddress address of the control plane
 * @param proxyLogLevel the proxy's log level
 * @param proxyComponentLogLevel the proxy's per-component log levels
 * @param trustDomain the mesh's trust domain
 */
@RegisterForReflection
public record MeshConfig(
        String hub,
        String tag,
        String proxyImage,
        String initImage,
        Ports ports,
        long proxyUid,
        long proxyGid,
        String interceptionMode,
        String includeOutboundIPRanges,
        String excludeOutboundIPRanges,
        String includeInboundPorts,
        String excludeInboundPorts,
        String excludeOutboundPorts,
        Resources resources,
        boolean holdApplicationUntilProxyStarts,
        boolean nativeSidecar,
        String discoveryAddress,
        String proxyLogLevel,
        String proxyComponentLogLevel,
        String trustDomain) {

    /** The proxy's ports. */
    @RegisterForReflection
    public record Ports(int outbound, int inbound, int status, int health, int metrics) {
    }

    /** Kubernetes quantities, as text. */
    @RegisterForReflection
    public record Resources(Quantities requests, Quantities limits) {
    }

    /** A cpu and a memory quantity; either may be empty for none. */
    @RegisterForReflection
    public record Quantities(String cpu, String memory) {
    }
}
