package io.sidecarinjector.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.config.MeshConfig;
import io.sidecarinjector.overrides.PodOverrides;

/** Resolves the values a template sees: the mesh config, overridden by the pod's annotations. */
public final class TemplateValuesFactory {

    /** The name of the injected proxy container. */
    public static final String PROXY_CONTAINER = "istio-proxy";

    private TemplateValuesFactory() {
    }

    public static TemplateValues of(Pod pod, MeshConfig mesh, String revision, PodOverrides o) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        List<Container> appContainers = appContainers(pod);
        MeshConfig.Ports ports = mesh.ports();
        int statusPort = o.statusPort().orElse(ports.status());
        String workload = workloadName(meta);
        boolean hold = o.holdApplicationUntilProxyStarts().orElse(mesh.holdApplicationUntilProxyStarts());
        Map<String, Object> proxyConfig = new LinkedHashMap<>();
        proxyConfig.put("discoveryAddress", mesh.discoveryAddress());
        proxyConfig.put("holdApplicationUntilProxyStarts", hold);
        o.concurrency().ifPresent(c -> proxyConfig.put("concurrency", c));
        o.terminationDrainDuration().ifPresent(d -> proxyConfig.put("terminationDrainDuration", d));
        return new TemplateValues(
                revision,
                o.proxyImage().orElse(image(mesh, mesh.proxyImage())),
                image(mesh, mesh.initImage()),
                ports.outbound(),
                ports.inbound(),
                statusPort,
                ports.health(),
                ports.metrics(),
                mesh.proxyUid(),
                mesh.proxyGid(),
                o.interceptionMode().orElse(mesh.interceptionMode()),
                o.includeOutboundIPRanges().orElse(mesh.includeOutboundIPRanges()),
                o.excludeOutboundIPRanges().orElse(mesh.excludeOutboundIPRanges()),
                o.includeInboundPorts().orElse(mesh.includeInboundPorts()),
                excludedInboundPorts(ports, statusPort, o.excludeInboundPorts().orElse(mesh.excludeInboundPorts())),
                o.excludeOutboundPorts().orElse(mesh.excludeOutboundPorts()),
                o.cpuRequest().orElse(mesh.resources().requests().cpu()),
                o.memoryRequest().orElse(mesh.resources().requests().memory()),
                o.cpuLimit().orElse(mesh.resources().limits().cpu()),
                o.memoryLimit().orElse(mesh.resources().limits().memory()),
                hold,
                o.nativeSidecar().orElse(mesh.nativeSidecar()),
                mesh.discoveryAddress(),
                o.logLevel().orElse(mesh.proxyLogLevel()),
                o.componentLogLevel().orElse(mesh.proxyComponentLogLevel()),
                mesh.trustDomain(),
                workload,
                firstLabel(labels, workload, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
                firstLabel(labels, "latest", "service.istio.io/canonical-revision", "app.kubernetes.io/version",
                        "version"),
                appContainers.stream().map(Container::getName).toList(),
                json(appPorts(appContainers)),
                o.concurrency().orElse(0),
                json(proxyConfig),
                o.userVolumes().stream().map(TemplateValuesFactory::json).toList(),
                o.userVolumeMounts().stream().map(TemplateValuesFactory::json).toList());
    }

    /** {@code <hub>/<name>:<tag>} for a bare name; a name with a registry or repository is taken as it is. */
    static String image(MeshConfig mesh, String name) {
        return name.contains("/") ? name : mesh.hub() + "/" + name + ":" + mesh.tag();
    }

    /** The proxy's own ports are never captured; the configured ones come after them. */
    static String excludedInboundPorts(MeshConfig.Ports ports, int statusPort, String configured) {
        List<String> excluded = new ArrayList<>(List.of(String.valueOf(ports.metrics()), String.valueOf(ports.health())));
        if (statusPort != 0) {
            excluded.add(String.valueOf(statusPort));
        }
        if (configured != null && !configured.isBlank()) {
            excluded.add(configured.trim());
        }
        return String.join(",", excluded);
    }

    private static List<Container> appContainers(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return List.of();
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName() != null && !PROXY_CONTAINER.equals(c.getName()))
                .toList();
    }

    /**
     * The workload's name: the pod's name, or for a pod made by a controller the generateName without the
     * ReplicaSet's hash, as Istio reports it.
     */
    static String workloadName(ObjectMeta meta) {
        if (meta.getName() != null && !meta.getName().isEmpty()) {
            return meta.getName();
        }
        String generated = meta.getGenerateName() == null ? "" : meta.getGenerateName();
        String base = generated.endsWith("-") ? generated.substring(0, generated.length() - 1) : generated;
        List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
        boolean fromReplicaSet = owners.stream().anyMatch(o -> "ReplicaSet".equals(o.getKind()));
        int dash = base.lastIndexOf('-');
        if (fromReplicaSet && dash > 0) {
            return base.substring(0, dash);
        }
        return base;
    }

    private static String firstLabel(Map<String, String> labels, String fallback, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return fallback;
    }

    private static List<ContainerPort> appPorts(List<Container> containers) {
        List<ContainerPort> ports = new ArrayList<>();
        for (Container c : containers) {
            if (c.getPorts() != null) {
                ports.addAll(c.getPorts());
            }
        }
        return ports;
    }

    private static String json(Object value) {
        return Mappers.yamlSafeJson(value);
    }
}
