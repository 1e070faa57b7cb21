package io.sidecarinjector.overrides;

import java.util.Set;

/** The per-pod annotations and labels this injector reads, by their Istio names. */
public final class Annotations {

    public static final String INJECT = "sidecar.istio.io/inject";
    public static final String STATUS = "sidecar.istio.io/status";
    public static final String PROXY_IMAGE = "sidecar.istio.io/proxyImage";
    public static final String PROXY_IMAGE_TYPE = "sidecar.istio.io/proxyImageType";
    public static final String INTERCEPTION_MODE = "sidecar.istio.io/interceptionMode";
    public static final String PROXY_CPU = "sidecar.istio.io/proxyCPU";
    public static final String PROXY_MEMORY = "sidecar.istio.io/proxyMemory";
    public static final String PROXY_CPU_LIMIT = "sidecar.istio.io/proxyCPULimit";
    public static final String PROXY_MEMORY_LIMIT = "sidecar.istio.io/proxyMemoryLimit";
    public static final String CAP_NET_BIND_SERVICE = "sidecar.istio.io/capNetBindService";
    public static final String BOOTSTRAP_OVERRIDE = "sidecar.istio.io/bootstrapOverride";
    public static final String AGENT_LOG_LEVEL = "sidecar.istio.io/agentLogLevel";
    public static final String INCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges";
    public static final String EXCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    public static final String INCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/includeInboundPorts";
    public static final String EXCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/excludeInboundPorts";
    public static final String INCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/includeOutboundPorts";
    public static final String EXCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts";
    public static final String KUBEVIRT_INTERFACES = "traffic.sidecar.istio.io/kubevirtInterfaces";
    public static final String EXCLUDE_INTERFACES = "traffic.sidecar.istio.io/excludeInterfaces";
    public static final String REROUTE_VIRTUAL_INTERFACES = "istio.io/reroute-virtual-interfaces";
    public static final String STATUS_PORT = "status.sidecar.istio.io/port";
    public static final String READINESS_INITIAL_DELAY = "readiness.status.sidecar.istio.io/initialDelaySeconds";
    public static final String READINESS_PERIOD = "readiness.status.sidecar.istio.io/periodSeconds";
    public static final String READINESS_FAILURE_THRESHOLD = "readiness.status.sidecar.istio.io/failureThreshold";
    public static final String REWRITE_PROBES = "sidecar.istio.io/rewriteAppHTTPProbers";
    public static final String PROXY_CONFIG = "proxy.istio.io/config";
    public static final String PROXY_OVERRIDES = "proxy.istio.io/overrides";
    public static final String NATIVE_SIDECAR = "sidecar.istio.io/nativeSidecar";
    public static final String TEMPLATES = "inject.istio.io/templates";
    public static final String USER_VOLUME = "sidecar.istio.io/userVolume";
    public static final String USER_VOLUME_MOUNT = "sidecar.istio.io/userVolumeMount";
    public static final String LOG_LEVEL = "sidecar.istio.io/logLevel";
    public static final String COMPONENT_LOG_LEVEL = "sidecar.istio.io/componentLogLevel";
    public static final String REVISION = "istio.io/rev";
    /** Label: the workload name the proxy reports, instead of the controller's. */
    public static final String WORKLOAD_NAME_LABEL = "service.istio.io/workload-name";
    /** Label: the network the pod is in. */
    public static final String NETWORK_LABEL = "topology.istio.io/network";

    /** The {@code sidecar.istio.io/} annotations that are understood; any other is warned about. */
    static final Set<String> KNOWN_SIDECAR = Set.of(
            INJECT,
            STATUS,
            PROXY_IMAGE,
            PROXY_IMAGE_TYPE,
            INTERCEPTION_MODE,
            PROXY_CPU,
            PROXY_MEMORY,
            PROXY_CPU_LIMIT,
            PROXY_MEMORY_LIMIT,
            CAP_NET_BIND_SERVICE,
            BOOTSTRAP_OVERRIDE,
            AGENT_LOG_LEVEL,
            REWRITE_PROBES,
            NATIVE_SIDECAR,
            USER_VOLUME,
            USER_VOLUME_MOUNT,
            LOG_LEVEL,
            COMPONENT_LOG_LEVEL);

    private Annotations() {}
}
