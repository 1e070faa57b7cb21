package io.sidecarinjector.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.sidecarinjector.istio.MeshConfig;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.istio.Values;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.support.Mappers;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The environment the proxy boots from, variable by variable and in Istio's order, for each kind of proxy the stock
 * templates inject: a sidecar, a gateway, a proxyless gRPC agent.
 */
final class ProxyEnv {

    /** Which stock template the environment is for. */
    enum Kind {
        SIDECAR,
        GATEWAY,
        GRPC_AGENT
    }

    private final ArrayNode env = Mappers.JSON.createArrayNode();

    private ProxyEnv() {}

    static ArrayNode of(
            Kind kind,
            TemplateInput in,
            String workloadName,
            Map<String, String> labels,
            Map<String, String> annotations,
            List<Container> containers,
            List<String> appContainers) {
        Values values = in.documents().values();
        MeshConfig mesh = in.documents().mesh();
        ProxyConfig pc = in.proxyConfig();
        ProxyEnv e = new ProxyEnv();
        if (kind == Kind.GRPC_AGENT) {
            e.value("ISTIO_META_GENERATOR", "grpc");
            e.value("OUTPUT_CERTS", "/var/lib/istio/data");
        }
        if (kind != Kind.GATEWAY && "localhost".equals(mesh.inboundTrafficPolicyMode())) {
            e.value("REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION", "true");
        }
        e.value("PILOT_CERT_PROVIDER", values.text("global.pilotCertProvider"));
        e.value("CA_ADDR", SidecarValuesFactory.caAddress(values));
        e.field("POD_NAME", "metadata.name");
        e.field("POD_NAMESPACE", "metadata.namespace");
        e.field("INSTANCE_IP", "status.podIP");
        e.field("SERVICE_ACCOUNT", "spec.serviceAccountName");
        e.field("HOST_IP", "status.hostIP");
        if (kind != Kind.GRPC_AGENT) {
            e.resource("ISTIO_CPU_LIMIT", "limits.cpu");
        }
        e.value("PROXY_CONFIG", pc.envJson() + "\n");
        e.value("ISTIO_META_POD_PORTS", SidecarValuesFactory.podPorts(containers));
        if (kind == Kind.GATEWAY) {
            e.resource("GOMEMLIMIT", "limits.memory");
            e.resource("GOMAXPROCS", "limits.cpu");
            compliance(e, in);
            e.value("ISTIO_META_APP_CONTAINERS", String.join(",", appContainers));
        } else {
            e.value("ISTIO_META_APP_CONTAINERS", String.join(",", appContainers));
            if (kind == Kind.SIDECAR) {
                e.resource("GOMEMLIMIT", "limits.memory");
                e.resource("GOMAXPROCS", "limits.cpu");
                compliance(e, in);
            }
        }
        e.value("ISTIO_META_CLUSTER_ID", SidecarValuesFactory.clusterId(values));
        e.field("ISTIO_META_NODE_NAME", "spec.nodeName");
        if (kind == Kind.SIDECAR) {
            String mode = annotations.getOrDefault(Annotations.INTERCEPTION_MODE, "");
            e.value("ISTIO_META_INTERCEPTION_MODE", mode.isEmpty() ? pc.interceptionMode() : mode);
        } else if (kind == Kind.GATEWAY) {
            e.value("ISTIO_META_INTERCEPTION_MODE", pc.interceptionMode());
        }
        if (values.truthy("global.network")) {
            e.value("ISTIO_META_NETWORK", values.text("global.network"));
        }
        String workload = kind == Kind.SIDECAR
                ? SidecarValuesFactory.firstNonEmpty(labels.get(Annotations.WORKLOAD_NAME_LABEL), workloadName)
                : workloadName;
        if (!workload.isEmpty()) {
            e.value("ISTIO_META_WORKLOAD_NAME", workload);
        }
        if (!in.workload().owner().isEmpty()) {
            e.value("ISTIO_META_OWNER", in.workload().owner());
        }
        if (kind != Kind.GRPC_AGENT && annotations.containsKey(Annotations.BOOTSTRAP_OVERRIDE)) {
            e.value("ISTIO_BOOTSTRAP_OVERRIDE", "/etc/istio/custom-bootstrap/custom_bootstrap.json");
        }
        String trustDomain = SidecarValuesFactory.orDefault(mesh.trustDomain(), values.text("global.trustDomain"));
        if (values.truthy("global.meshID")) {
            e.value("ISTIO_META_MESH_ID", values.text("global.meshID"));
        } else if (!trustDomain.isEmpty()) {
            e.value("ISTIO_META_MESH_ID", trustDomain);
        }
        if (!trustDomain.isEmpty()) {
            e.value("TRUST_DOMAIN", trustDomain);
        }
        if (kind == Kind.SIDECAR) {
            datadog(e, values, annotations);
            String otel = OtelAttributes.of(mesh, annotations, labels, in.namespace(), containers);
            if (!otel.isEmpty()) {
                e.value("OTEL_RESOURCE_ATTRIBUTES", otel);
            }
        }
        pc.proxyMetadata().forEach(e::value);
        if (kind == Kind.GRPC_AGENT) {
            e.value("ISTIO_META_DNS_CAPTURE", "false");
            e.value("DISABLE_ENVOY", "true");
        }
        return e.env;
    }

    private static void compliance(ProxyEnv e, TemplateInput in) {
        if (!in.compliancePolicy().isEmpty()) {
            e.value("COMPLIANCE_POLICY", in.compliancePolicy());
        }
    }

    /** Datadog's {@code apm.datadoghq.com/env} annotation, a JSON object of variables, when Datadog traces. */
    private static void datadog(ProxyEnv e, Values values, Map<String, String> annotations) {
        String json = annotations.get("apm.datadoghq.com/env");
        if (!"datadog".equals(values.text("global.proxy.tracer")) || json == null) {
            return;
        }
        try {
            JsonNode variables = Mappers.JSON.readTree(json);
            Map<String, String> sorted = new java.util.TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = variables.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                sorted.put(field.getKey(), Values.text(field.getValue()));
            }
            sorted.forEach(e::value);
        } catch (JsonProcessingException ex) {
            // as in Istio: an annotation that is not JSON adds nothing
        }
    }

    private void value(String name, String value) {
        ObjectNode entry = env.addObject();
        entry.put("name", name);
        entry.put("value", value);
    }

    private void field(String name, String path) {
        ObjectNode entry = env.addObject();
        entry.put("name", name);
        entry.putObject("valueFrom").putObject("fieldRef").put("fieldPath", path);
    }

    private void resource(String name, String resource) {
        ObjectNode entry = env.addObject();
        entry.put("name", name);
        ObjectNode ref = entry.putObject("valueFrom").putObject("resourceFieldRef");
        ref.put("resource", resource);
        ref.put("divisor", "1");
    }
}
