package io.sidecarinjector.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.config.MeshConfig;

/** Resolves the values a template sees from the mesh config and the pod. */
public final class TemplateValuesFactory {

    /** The name of the injected proxy container. */
    public static final String PROXY_CONTAINER = "istio-proxy";

    private TemplateValuesFactory() {
    }

    public static TemplateValues of(Pod pod, MeshConfig mesh, String revision) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        List<Container> appContainers = appContainers(pod);
        MeshConfig.Ports ports = mesh.ports();
        String workload = workloadName(meta);
        return new TemplateValues(
                revision,
                image(mesh, mesh.proxyImage()),
                image(mesh, mesh.initImage()),
                ports.outbound(),
                ports.inbound(),
                ports.status(),
                ports.health(),
                ports.metrics(),
                mesh.proxyUid(),
                mesh.proxyGid(),
                mesh.interceptionMode(),
                mesh.includeOutboundIPRanges(),
                mesh.excludeOutboundIPRanges(),
                mesh.includeInboundPorts(),
                excludedInboundPorts(ports, mesh.excludeInboundPorts()),
                mesh.excludeOutboundPorts(),
                mesh.resources().requests().cpu(),
                mesh.resources().requests().memory(),
                mesh.resources().limits().cpu(),
                mesh.resources().limits().memory(),
                mesh.holdApplicationUntilProxyStarts(),
                mesh.nativeSidecar(),
                mesh.discoveryAddress(),
                mesh.proxyLogLevel(),
                mesh.proxyComponentLogLevel(),
                mesh.trustDomain(),
                workload,
                firstLabel(labels, workload, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
                firstLabel(labels, "latest", "service.istio.io/canonical-revision", "app.kubernetes.io/version",
                        "version"),
                appContainers.stream().map(Container::getName).toList(),
                portsJson(appContainers));
    }

    /** {@code <hub>/<name>:<tag>} for a bare name; a name with a registry or repository is taken as it is. */
    static String image(MeshConfig mesh, String name) {
        return name.contains("/") ? name : mesh.hub() + "/" + name + ":" + mesh.tag();
    }

    /** The proxy's own ports are never captured; the configured ones come after them. */
    static String excludedInboundPorts(MeshConfig.Ports ports, String configured) {
        List<String> excluded = new ArrayList<>(List.of(String.valueOf(ports.metrics()), String.valueOf(ports.health())));
        if (ports.status() != 0) {
            excluded.add(String.valueOf(ports.status()));
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

    private static String portsJson(List<Container> containers) {
        List<ContainerPort> ports = new ArrayList<>();
        for (Container c : containers) {
            if (c.getPorts() != null) {
                ports.addAll(c.getPorts());
            }
        }
        try {
            return Mappers.JSON.writeValueAsString(ports);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("container ports could not be written as JSON", e);
        }
    }
}
