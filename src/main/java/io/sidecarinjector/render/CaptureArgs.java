package io.sidecarinjector.render;

import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.Values;
import io.sidecarinjector.overrides.Annotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic capture settings of one pod: the arguments of {@code istio-iptables} in the init container, and the
 * same settings as the annotations Istio's CNI plugin reads.
 */
final class CaptureArgs {

    private final SidecarValuesFactory.Reader r;
    private final MeshConfig mesh;
    private final Values values;
    private final String mode;
    private final boolean cni;
    private final String excludeInbound;
    private final Map<String, String> annotations;

    CaptureArgs(
            SidecarValuesFactory.Reader r,
            MeshConfig mesh,
            Values values,
            String mode,
            boolean cni,
            String excludeInbound,
            Map<String, String> annotations) {
        this.r = r;
        this.mesh = mesh;
        this.values = values;
        this.mode = mode;
        this.cni = cni;
        this.excludeInbound = excludeInbound;
        this.annotations = annotations;
    }

    String includeOutboundIPRanges() {
        return r.annotation(Annotations.INCLUDE_OUTBOUND_IP_RANGES, values.text("global.proxy.includeIPRanges"));
    }

    String excludeOutboundIPRanges() {
        return r.annotation(Annotations.EXCLUDE_OUTBOUND_IP_RANGES, values.text("global.proxy.excludeIPRanges"));
    }

    String includeInboundPorts() {
        return r.annotation(Annotations.INCLUDE_INBOUND_PORTS, values.text("global.proxy.includeInboundPorts"));
    }

    /** Set when the pod sets it or the values give a non-empty default. */
    private boolean hasPorts(String annotation, String value) {
        return annotations.containsKey(annotation) || !values.text(value).isEmpty();
    }

    List<String> args() {
        List<String> args = new ArrayList<>(List.of(
                "istio-iptables",
                "-p",
                mesh.proxyListenPort(),
                "-z",
                mesh.proxyInboundListenPort(),
                "-u",
                String.valueOf(SidecarValuesFactory.PROXY_UID),
                "-m",
                mode,
                "-i",
                includeOutboundIPRanges(),
                "-x",
                excludeOutboundIPRanges(),
                "-b",
                includeInboundPorts(),
                "-d",
                excludeInbound.isEmpty() ? "15090,15021" : "15090,15021," + excludeInbound));
        if (hasPorts(Annotations.INCLUDE_OUTBOUND_PORTS, "global.proxy.includeOutboundPorts")) {
            args.add("-q");
            args.add(
                    r.annotation(Annotations.INCLUDE_OUTBOUND_PORTS, values.text("global.proxy.includeOutboundPorts")));
        }
        if (hasPorts(Annotations.EXCLUDE_OUTBOUND_PORTS, "global.proxy.excludeOutboundPorts")) {
            args.add("-o");
            args.add(
                    r.annotation(Annotations.EXCLUDE_OUTBOUND_PORTS, values.text("global.proxy.excludeOutboundPorts")));
        }
        if (annotations.containsKey(Annotations.REROUTE_VIRTUAL_INTERFACES)) {
            args.add("-k");
            args.add(annotations.get(Annotations.REROUTE_VIRTUAL_INTERFACES));
        } else if (annotations.containsKey(Annotations.KUBEVIRT_INTERFACES)) {
            args.add("-k");
            args.add(annotations.get(Annotations.KUBEVIRT_INTERFACES));
        }
        if (annotations.containsKey(Annotations.EXCLUDE_INTERFACES)) {
            args.add("-c");
            args.add(annotations.get(Annotations.EXCLUDE_INTERFACES));
        }
        args.add(
                "--log_output_level=" + r.annotation(Annotations.AGENT_LOG_LEVEL, values.text("global.logging.level")));
        if (values.truthy("global.logAsJson")) {
            args.add("--log_as_json");
        }
        if (cni) {
            args.add("--run-validation");
            args.add("--skip-rule-apply");
        } else if (values.truthy("global.proxy_init.forceApplyIptables")) {
            args.add("--force-apply");
        }
        if (values.truthy("global.nativeNftables")) {
            args.add("--native-nftables");
        }
        return args;
    }

    /** The capture settings as pod annotations, which the CNI plugin reads to set up the rules. */
    Map<String, String> cniAnnotations() {
        Map<String, String> cniAnnotations = new LinkedHashMap<>();
        cniAnnotations.put(Annotations.INTERCEPTION_MODE, mode);
        putIfNotEmpty(cniAnnotations, Annotations.INCLUDE_OUTBOUND_IP_RANGES, includeOutboundIPRanges());
        putIfNotEmpty(cniAnnotations, Annotations.EXCLUDE_OUTBOUND_IP_RANGES, excludeOutboundIPRanges());
        cniAnnotations.put(Annotations.INCLUDE_INBOUND_PORTS, includeInboundPorts());
        cniAnnotations.put(Annotations.EXCLUDE_INBOUND_PORTS, excludeInbound);
        if (hasPorts(Annotations.INCLUDE_OUTBOUND_PORTS, "global.proxy.includeOutboundPorts")) {
            cniAnnotations.put(
                    Annotations.INCLUDE_OUTBOUND_PORTS,
                    r.annotation(Annotations.INCLUDE_OUTBOUND_PORTS, values.text("global.proxy.includeOutboundPorts")));
        }
        if (hasPorts(Annotations.EXCLUDE_OUTBOUND_PORTS, "global.proxy.excludeOutboundPorts")) {
            cniAnnotations.put(
                    Annotations.EXCLUDE_OUTBOUND_PORTS,
                    r.annotation(Annotations.EXCLUDE_OUTBOUND_PORTS, values.text("global.proxy.excludeOutboundPorts")));
        }
        putIfNotEmpty(
                cniAnnotations, Annotations.KUBEVIRT_INTERFACES, annotations.get(Annotations.KUBEVIRT_INTERFACES));
        putIfNotEmpty(
                cniAnnotations,
                Annotations.REROUTE_VIRTUAL_INTERFACES,
                annotations.get(Annotations.REROUTE_VIRTUAL_INTERFACES));
        putIfNotEmpty(cniAnnotations, Annotations.EXCLUDE_INTERFACES, annotations.get(Annotations.EXCLUDE_INTERFACES));
        return cniAnnotations;
    }

    private static void putIfNotEmpty(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
