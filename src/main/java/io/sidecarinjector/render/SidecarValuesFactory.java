package io.sidecarinjector.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.istio.Values;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.support.Mappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@link SidecarValues} from a {@link TemplateInput} the way Istio's stock templates resolve theirs: a pod
 * annotation set on the pod (even empty) wins over the values, a value Go would print as nothing is empty.
 */
public final class SidecarValuesFactory {

    /** The name of the injected proxy container. */
    public static final String PROXY_CONTAINER = "istio-proxy";
    /** The capture init container, and the one that only validates a CNI plugin's capture. */
    public static final String INIT_CONTAINER = "istio-init";

    public static final String VALIDATION_CONTAINER = "istio-validation";
    static final long PROXY_UID = 1337;

    private SidecarValuesFactory() {}

    public static SidecarValues of(TemplateInput in) {
        Pod pod = in.pod();
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Reader r = new Reader(annotations, in.documents().values());
        MeshConfig mesh = in.documents().mesh();
        ProxyConfig pc = in.proxyConfig();
        Values values = in.documents().values();

        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? List.of()
                : pod.getSpec().getContainers();
        List<String> all = containers.stream().map(Container::getName).toList();
        List<String> apps = all.stream().filter(n -> !PROXY_CONTAINER.equals(n)).toList();
        String mode = r.annotation(Annotations.INTERCEPTION_MODE, pc.interceptionMode());
        boolean tproxy = "TPROXY".equals(mode);
        boolean capNetBindService = "true"
                .equals(r.annotation(Annotations.CAP_NET_BIND_SERVICE, values.text("global.proxy.capNetBindService")));
        String nativeAnnotation = annotations.getOrDefault(Annotations.NATIVE_SIDECAR, "");
        boolean nativeSidecar =
                !"false".equals(nativeAnnotation.isEmpty() ? String.valueOf(in.nativeSidecars()) : nativeAnnotation);
        boolean cni = values.truthy("pilot.cni.enabled");
        String statusPort = r.annotation(Annotations.STATUS_PORT, values.text("global.proxy.statusPort"));
        String excludeInbound = Ports.excludeInboundPort(
                statusPort,
                r.annotation(Annotations.EXCLUDE_INBOUND_PORTS, values.text("global.proxy.excludeInboundPorts")));
        String image = ProxyImages.proxyImage(values, pc, annotations);
        Map<String, String> metadataEnv = pc.proxyMetadata();
        boolean privileged = values.isTrue("global.proxy.privileged");

        CaptureArgs capture = new CaptureArgs(r, mesh, values, mode, cni, excludeInbound, annotations);
        Map<String, String> added = new LinkedHashMap<>();
        added.put(Annotations.REVISION, in.revision().isEmpty() ? "default" : in.revision());
        if (!apps.isEmpty()) {
            if (!annotations.containsKey("kubectl.kubernetes.io/default-logs-container")) {
                added.put("kubectl.kubernetes.io/default-logs-container", apps.get(0));
            }
            if (!annotations.containsKey("kubectl.kubernetes.io/default-container")) {
                added.put("kubectl.kubernetes.io/default-container", apps.get(0));
            }
        }
        Map<String, String> gateway = new LinkedHashMap<>(added);
        Map<String, String> grpcAgent = new LinkedHashMap<>(added);
        grpcAgent.put(Annotations.REWRITE_PROBES, "false");
        if (cni) {
            if ("multus".equals(values.text("pilot.cni.provider"))) {
                added.put(Multus.ANNOTATION, Multus.append(annotations.get(Multus.ANNOTATION), "default/istio-cni"));
            }
            added.putAll(capture.cniAnnotations());
        }
        SidecarValues.Workload workload = workload(
                in,
                labels,
                apps,
                metadataEnv,
                values,
                List.of(
                        json(added),
                        // written only for the templates that print them, as the gateway's security context is
                        in.renders("gateway") ? json(gateway) : "{}",
                        in.renders("grpc-agent") ? json(grpcAgent) : "{}"));
        String initImage = r.annotation(Annotations.PROXY_IMAGE, values.text("global.proxy_init.image"));
        SidecarValues.Capture captureValues = new SidecarValues.Capture(
                cni,
                mode,
                "NONE".equals(mode) && !nativeSidecar,
                !"NONE".equals(mode),
                cni ? VALIDATION_CONTAINER : INIT_CONTAINER,
                initImage.contains("/") ? initImage : image,
                json(capture.args()));

        String proxyImageValue = r.annotation(Annotations.PROXY_IMAGE, values.text("global.proxy.image"));
        boolean hold = (pc.holdApplicationUntilProxyStarts().orElse(false)
                        || values.isTrue("global.proxy.holdApplicationUntilProxyStarts"))
                && !nativeSidecar;
        String workloadName = in.workload().name();
        SidecarValues.Proxy proxy = new SidecarValues.Proxy(
                proxyImageValue.contains("/") ? proxyImageValue : image,
                nativeSidecar,
                values.text("global.imagePullPolicy"),
                proxyArgs(r, values, "sidecar"),
                in.renders("gateway") ? proxyArgs(r, values, "router") : "[]",
                values.derived(
                        List.of("lifecycle", hold, nativeSidecar, statusPort),
                        () -> lifecycle(values, hold, nativeSidecar, statusPort)),
                json(ProxyEnv.of(ProxyEnv.Kind.SIDECAR, in, workloadName, labels, annotations, containers, apps)),
                in.renders("gateway")
                        ? json(ProxyEnv.of(
                                ProxyEnv.Kind.GATEWAY, in, workloadName, labels, annotations, containers, apps))
                        : "[]",
                in.renders("grpc-agent")
                        ? json(ProxyEnv.of(
                                ProxyEnv.Kind.GRPC_AGENT, in, workloadName, labels, annotations, containers, apps))
                        : "[]",
                values.derived(List.of("proxyMetadata", metadataEnv), () -> json(env(metadataEnv))),
                pc.envJson(),
                !"0".equals(statusPort),
                values.truthy("global.proxy.startupProbe.enabled"),
                values.text("global.proxy.startupProbe.failureThreshold"),
                r.annotation(
                        Annotations.READINESS_INITIAL_DELAY, values.text("global.proxy.readinessInitialDelaySeconds")),
                r.annotation(Annotations.READINESS_PERIOD, values.text("global.proxy.readinessPeriodSeconds")),
                r.annotation(
                        Annotations.READINESS_FAILURE_THRESHOLD, values.text("global.proxy.readinessFailureThreshold")),
                resources(annotations, values),
                values.derived(
                        List.of(
                                "proxySecurityContext",
                                String.valueOf(metadataEnv.get("IPTABLES_TRACE_LOGGING")),
                                tproxy,
                                capNetBindService),
                        () -> json(SecurityContexts.proxy(metadataEnv, values, privileged, tproxy, capNetBindService))),
                values.derived("initSecurityContext", () -> json(SecurityContexts.init(values, privileged, cni))),
                UserVolumes.of(annotations, Annotations.USER_VOLUME_MOUNT),
                new SidecarValues.GatewayProxy(
                        values.truthy("global.proxy.lifecycle") ? json(values.node("global.proxy.lifecycle")) : "",
                        values.text("global.proxy.readinessInitialDelaySeconds"),
                        values.text("global.proxy.readinessPeriodSeconds"),
                        values.text("global.proxy.readinessFailureThreshold")));
        String serviceAccount = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        SidecarValues.Volumes volumes = new SidecarValues.Volumes(
                "GkeWorkloadCertificate".equals(values.text("global.caName")),
                "istiod".equals(values.text("global.pilotCertProvider")),
                values.isTrue("pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API"),
                orDefault(values.text("global.trustBundleName"), "istio-ca-root-cert"),
                "istio.io:istiod-ca:" + orDefault(values.text("global.trustBundleName"), "root-cert"),
                orDefault(values.text("pilot.crlConfigMapName"), "istio-ca-crl"),
                annotations.containsKey(Annotations.BOOTSTRAP_OVERRIDE)
                        ? annotations.get(Annotations.BOOTSTRAP_OVERRIDE)
                        : "",
                values.truthy("global.mountMtlsCerts")
                        ? "istio." + (serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount)
                        : "",
                "lightstep".equals(values.text("global.proxy.tracer"))
                        ? pc.tracingCaCertificates()
                                .map(SidecarValuesFactory::directory)
                                .orElse("")
                        : "",
                values.text("global.sds.token.aud"),
                UserVolumes.of(annotations, Annotations.USER_VOLUME),
                values.strings("global.imagePullSecrets"));
        return new SidecarValues(workload, captureValues, proxy, volumes);
    }

    private static SidecarValues.Workload workload(
            TemplateInput in,
            Map<String, String> labels,
            List<String> apps,
            Map<String, String> metadataEnv,
            Values values,
            List<String> annotationsJson) {
        String canonicalName = firstNonEmpty(
                labels.get("service.istio.io/canonical-name"),
                labels.get("app.kubernetes.io/name"),
                labels.get("app"),
                in.workload().name());
        if (canonicalName.length() > 63) {
            canonicalName = canonicalName.substring(0, 63);
        }
        while (canonicalName.endsWith("-")) {
            canonicalName = canonicalName.substring(0, canonicalName.length() - 1);
        }
        String gatewayContext = !in.renders("gateway")
                ? "{}"
                : values.node("gateways.securityContext").isObject()
                                && !values.node("gateways.securityContext").isEmpty()
                        ? json(values.node("gateways.securityContext"))
                        : json(sysctlUnprivilegedPorts());
        List<String> all = new ArrayList<>();
        if (in.pod().getSpec() != null && in.pod().getSpec().getContainers() != null) {
            in.pod().getSpec().getContainers().forEach(c -> all.add(c.getName()));
        }
        return new SidecarValues.Workload(
                in.revision().isEmpty() ? "default" : in.revision(),
                firstNonEmpty(labels.get("security.istio.io/tlsMode"), "istio"),
                "true".equals(metadataEnv.get("ISTIO_META_ENABLE_HBONE"))
                        ? firstNonEmpty(labels.get("networking.istio.io/tunnel"), "http")
                        : "",
                canonicalName,
                firstNonEmpty(
                        labels.get("service.istio.io/canonical-revision"),
                        labels.get("app.kubernetes.io/version"),
                        labels.get("version"),
                        "latest"),
                annotationsJson.get(0),
                annotationsJson.get(1),
                annotationsJson.get(2),
                apps,
                all,
                in.workload().name(),
                in.workload().owner(),
                values.text("global.istioNamespace"),
                gatewayContext);
    }

    private static ObjectNode sysctlUnprivilegedPorts() {
        ObjectNode context = Mappers.JSON.createObjectNode();
        ObjectNode sysctl = context.putArray("sysctls").addObject();
        sysctl.put("name", "net.ipv4.ip_unprivileged_port_start");
        sysctl.put("value", "0");
        return context;
    }

    /**
     * The proxy's arguments, as JSON; {@code mode} is {@code sidecar} or {@code router} (a gateway). They depend on
     * the values and three log-level annotations only.
     */
    static String proxyArgs(Reader r, Values values, String mode) {
        String logLevel = r.annotation(Annotations.LOG_LEVEL, values.text("global.proxy.logLevel"));
        String componentLogLevel =
                r.annotation(Annotations.COMPONENT_LOG_LEVEL, values.text("global.proxy.componentLogLevel"));
        String agentLogLevel = r.annotation(Annotations.AGENT_LOG_LEVEL, values.text("global.logging.level"));
        return values.derived(
                List.of("proxyArgs", mode, logLevel, componentLogLevel, agentLogLevel),
                () -> json(proxyArgs(values, mode, logLevel, componentLogLevel, agentLogLevel)));
    }

    private static List<String> proxyArgs(
            Values values, String mode, String logLevel, String componentLogLevel, String agentLogLevel) {
        List<String> args = new ArrayList<>(List.of(
                "proxy",
                mode,
                "--domain",
                "$(POD_NAMESPACE).svc." + values.text("global.proxy.clusterDomain"),
                "--proxyLogLevel=" + logLevel,
                "--proxyComponentLogLevel=" + componentLogLevel,
                "--log_output_level=" + agentLogLevel));
        if (values.truthy("global.sts.servicePort")) {
            args.add("--stsPort=" + values.text("global.sts.servicePort"));
        }
        if (values.truthy("global.logAsJson")) {
            args.add("--log_as_json");
        }
        if ("sidecar".equals(mode) && values.truthy("global.proxy.outlierLogPath")) {
            args.add("--outlierLogPath=" + values.text("global.proxy.outlierLogPath"));
        }
        return args;
    }

    private static String lifecycle(Values values, boolean hold, boolean nativeSidecar, String statusPort) {
        if (values.truthy("global.proxy.lifecycle")) {
            return json(values.node("global.proxy.lifecycle"));
        }
        List<String> command;
        String hook;
        if (hold) {
            hook = "postStart";
            command = List.of("pilot-agent", "wait");
        } else if (nativeSidecar) {
            // the pod is shutting down: the proxy drains, and gets SIGTERM once the applications are gone
            hook = "preStop";
            command = List.of("pilot-agent", "request", "--debug-port=" + statusPort, "POST", "drain");
        } else {
            return "";
        }
        ObjectNode lifecycle = Mappers.JSON.createObjectNode();
        ArrayNode list = lifecycle.putObject(hook).putObject("exec").putArray("command");
        command.forEach(list::add);
        return json(lifecycle);
    }

    static String caAddress(Values values) {
        if (values.truthy("global.caAddress")) {
            return values.text("global.caAddress");
        }
        String revision = values.text("revision");
        return "istiod" + (revision.isEmpty() ? "" : "-" + revision) + "." + values.text("global.istioNamespace")
                + ".svc:15012";
    }

    static String clusterId(Values values) {
        return orDefault(values.text("global.multiCluster.clusterName"), "Kubernetes");
    }

    /** The proxy's requests and limits: the pod's annotations if it sets any, else the values'. */
    static String resources(Map<String, String> annotations, Values values) {
        boolean cpu = annotations.containsKey(Annotations.PROXY_CPU);
        boolean memory = annotations.containsKey(Annotations.PROXY_MEMORY);
        boolean cpuLimit = annotations.containsKey(Annotations.PROXY_CPU_LIMIT);
        boolean memoryLimit = annotations.containsKey(Annotations.PROXY_MEMORY_LIMIT);
        if (cpu || memory || cpuLimit || memoryLimit) {
            ObjectNode resources = Mappers.JSON.createObjectNode();
            if (cpu || memory) {
                ObjectNode requests = resources.putObject("requests");
                if (cpu) {
                    requests.put("cpu", annotations.get(Annotations.PROXY_CPU));
                }
                if (memory) {
                    requests.put("memory", annotations.get(Annotations.PROXY_MEMORY));
                }
            }
            if (cpuLimit || memoryLimit) {
                ObjectNode limits = resources.putObject("limits");
                if (cpuLimit) {
                    limits.put("cpu", annotations.get(Annotations.PROXY_CPU_LIMIT));
                }
                if (memoryLimit) {
                    limits.put("memory", annotations.get(Annotations.PROXY_MEMORY_LIMIT));
                }
            }
            return json(resources);
        }
        return values.derived("resources", () -> {
            JsonNode configured = values.node("global.proxy.resources");
            return configured.isObject() && !configured.isEmpty() ? json(withoutNulls(configured)) : "{}";
        });
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = Mappers.JSON.createObjectNode();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), withoutNulls(e.getValue()));
            }
        });
        return copy;
    }

    static List<Map<String, String>> env(Map<String, String> variables) {
        List<Map<String, String>> env = new ArrayList<>();
        variables.forEach((name, value) -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("value", value);
            env.add(entry);
        });
        return env;
    }

    /** The application's ports as the proxy reads them: each port with its set fields, as Go writes them. */
    static String podPorts(List<Container> containers) {
        ArrayNode ports = Mappers.JSON.createArrayNode();
        for (Container c : containers) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                ObjectNode port = ports.addObject();
                putIfSet(port, "name", p.getName());
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                    port.put("hostPort", p.getHostPort());
                }
                if (p.getContainerPort() != null) {
                    port.put("containerPort", p.getContainerPort());
                }
                putIfSet(port, "protocol", p.getProtocol());
                putIfSet(port, "hostIP", p.getHostIP());
            }
        }
        return Mappers.yamlSafeJson(ports);
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static String directory(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    static String firstNonEmpty(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isEmpty()) {
                return candidate;
            }
        }
        return "";
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    static String json(Object value) {
        return Mappers.yamlSafeJson(value);
    }

    /** Reads an annotation as Istio's templates do: when the pod sets it (even empty), its value; else a default. */
    record Reader(Map<String, String> annotations, Values values) {
        String annotation(String name, String fallback) {
            return annotations.containsKey(name) ? annotations.get(name) : fallback;
        }
    }
}
