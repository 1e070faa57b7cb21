package io.sidecarinjector.istio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.reload.ActiveConfigFactory;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each MeshConfig, ProxyConfig and values field that takes effect, and what it changes in an injected pod. A row
 * sets one field; its check reads the injected pod (a JSON tree) and holds only with the field's effect.
 */
@QuarkusTest
class FieldEffectsTest {

    @Inject
    Engine engine;

    record Row(String field, String mesh, String values, Map<String, String> switches, Predicate<JsonNode> effect) {
        @Override
        public String toString() {
            return field;
        }
    }

    static Row mesh(String field, String mesh, Predicate<JsonNode> effect) {
        return new Row(field, mesh, "", Map.of(), effect);
    }

    static Row values(String field, String values, Predicate<JsonNode> effect) {
        return new Row(field, "", values, Map.of(), effect);
    }

    static Stream<Arguments> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(mesh(
                "defaultConfig.statusPort",
                "defaultConfig: {statusPort: 15099}",
                pod -> annotation(pod, "prometheus.io/port").equals("15099")
                        && env(pod, "PROXY_CONFIG").contains("\"statusPort\":15099")));
        rows.add(mesh(
                "defaultConfig.interceptionMode",
                "defaultConfig: {interceptionMode: TPROXY}",
                pod -> initArgs(pod).contains("TPROXY")
                        && env(pod, "ISTIO_META_INTERCEPTION_MODE").equals("TPROXY")
                        && proxy(pod)
                                .at("/securityContext/capabilities/add/0")
                                .asText()
                                .equals("NET_ADMIN")));
        rows.add(mesh(
                "defaultConfig.holdApplicationUntilProxyStarts",
                "defaultConfig: {holdApplicationUntilProxyStarts: true}",
                pod -> pod.at("/spec/containers/0/name").asText().equals("istio-proxy")
                        && proxy(pod)
                                .at("/lifecycle/postStart/exec/command/1")
                                .asText()
                                .equals("wait")));
        rows.add(mesh(
                "defaultConfig.concurrency",
                "defaultConfig: {concurrency: 3}",
                pod -> env(pod, "PROXY_CONFIG").contains("\"concurrency\":3")));
        rows.add(mesh(
                "defaultConfig.terminationDrainDuration",
                "defaultConfig: {terminationDrainDuration: 30s}",
                pod -> env(pod, "PROXY_CONFIG").contains("\"terminationDrainDuration\":\"30s\"")));
        rows.add(mesh(
                "defaultConfig.proxyMetadata",
                "defaultConfig: {proxyMetadata: {ISTIO_META_DNS_CAPTURE: \"true\"}}",
                pod -> env(pod, "ISTIO_META_DNS_CAPTURE").equals("true")
                        && pod.at("/spec/initContainers/0/env/0/name").asText().equals("ISTIO_META_DNS_CAPTURE")));
        rows.add(mesh(
                "defaultConfig.proxyMetadata ISTIO_META_ENABLE_HBONE",
                "defaultConfig: {proxyMetadata: {ISTIO_META_ENABLE_HBONE: \"true\"}}",
                pod -> pod.at("/metadata/labels/networking.istio.io~1tunnel")
                        .asText()
                        .equals("http")));
        rows.add(mesh(
                "defaultConfig.image.imageType",
                "defaultConfig: {image: {imageType: distroless}}",
                pod -> proxy(pod).path("image").asText().endsWith(":1.30.3-distroless")));
        rows.add(mesh(
                "defaultConfig.discoveryAddress",
                "defaultConfig: {discoveryAddress: istiod.mesh.svc:15012}",
                pod -> env(pod, "PROXY_CONFIG").contains("istiod.mesh.svc:15012")));
        rows.add(mesh(
                "trustDomain",
                "trustDomain: example.org",
                pod -> env(pod, "TRUST_DOMAIN").equals("example.org")
                        && env(pod, "ISTIO_META_MESH_ID").equals("example.org")));
        rows.add(mesh(
                "enablePrometheusMerge",
                "enablePrometheusMerge: false",
                pod -> !pod.at("/metadata/annotations").has("prometheus.io/port")));
        rows.add(mesh(
                "proxyListenPort",
                "proxyListenPort: 16001",
                pod -> flag(pod, "-p").equals("16001")));
        rows.add(mesh(
                "proxyInboundListenPort",
                "proxyInboundListenPort: 16006",
                pod -> flag(pod, "-z").equals("16006")));
        rows.add(mesh(
                "inboundTrafficPolicy.mode",
                "inboundTrafficPolicy: {mode: LOCALHOST}",
                pod -> env(pod, "REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION").equals("true")));
        rows.add(values(
                "global.hub, global.tag",
                "{\"global\": {\"hub\": \"example.org/i\", \"tag\": \"9\"}}",
                pod -> proxy(pod).path("image").asText().equals("example.org/i/proxyv2:9")));
        rows.add(values(
                "global.variant",
                "{\"global\": {\"variant\": \"debug\"}}",
                pod -> proxy(pod).path("image").asText().endsWith(":1.30.3-debug")));
        rows.add(values(
                "global.proxy.image",
                "{\"global\": {\"proxy\": {\"image\": \"example.org/custom:1\"}}}",
                pod -> proxy(pod).path("image").asText().equals("example.org/custom:1")));
        rows.add(values(
                "global.proxy_init.image",
                "{\"global\": {\"proxy_init\": {\"image\": \"example.org/init:1\"}}}",
                pod -> pod.at("/spec/initContainers/0/image").asText().equals("example.org/init:1")));
        rows.add(values(
                "global.imagePullPolicy",
                "{\"global\": {\"imagePullPolicy\": \"Always\"}}",
                pod -> proxy(pod).path("imagePullPolicy").asText().equals("Always")));
        rows.add(values(
                "global.imagePullSecrets",
                "{\"global\": {\"imagePullSecrets\": [\"regcred\"]}}",
                pod -> pod.at("/spec/imagePullSecrets/0/name").asText().equals("regcred")));
        rows.add(values(
                "global.proxy.resources",
                "{\"global\": {\"proxy\": {\"resources\": {\"requests\": {\"cpu\": \"1\"}}}}}",
                pod -> proxy(pod).at("/resources").toString().equals("{\"requests\":{\"cpu\":\"1\"}}")));
        rows.add(values(
                "global.proxy.includeIPRanges",
                "{\"global\": {\"proxy\": {\"includeIPRanges\": \"10.0.0.0/8\"}}}",
                pod -> flag(pod, "-i").equals("10.0.0.0/8")));
        rows.add(values(
                "global.proxy.excludeIPRanges",
                "{\"global\": {\"proxy\": {\"excludeIPRanges\": \"169.254.169.254/32\"}}}",
                pod -> flag(pod, "-x").equals("169.254.169.254/32")));
        rows.add(values(
                "global.proxy.includeInboundPorts",
                "{\"global\": {\"proxy\": {\"includeInboundPorts\": \"8080\"}}}",
                pod -> flag(pod, "-b").equals("8080")));
        rows.add(values(
                "global.proxy.excludeInboundPorts",
                "{\"global\": {\"proxy\": {\"excludeInboundPorts\": \"9000\"}}}",
                pod -> flag(pod, "-d").equals("15090,15021,9000,15020")));
        rows.add(values(
                "global.proxy.includeOutboundPorts",
                "{\"global\": {\"proxy\": {\"includeOutboundPorts\": \"443\"}}}",
                pod -> flag(pod, "-q").equals("443")));
        rows.add(values(
                "global.proxy.excludeOutboundPorts",
                "{\"global\": {\"proxy\": {\"excludeOutboundPorts\": \"5432\"}}}",
                pod -> flag(pod, "-o").equals("5432")));
        rows.add(values(
                "global.proxy.statusPort",
                "{\"global\": {\"proxy\": {\"statusPort\": 0}}}",
                pod -> proxy(pod).path("readinessProbe").isMissingNode()
                        && flag(pod, "-d").equals("15090,15021")));
        rows.add(values(
                "global.proxy.logLevel",
                "{\"global\": {\"proxy\": {\"logLevel\": \"debug\"}}}",
                pod -> proxy(pod).path("args").toString().contains("--proxyLogLevel=debug")));
        rows.add(values(
                "global.proxy.componentLogLevel",
                "{\"global\": {\"proxy\": {\"componentLogLevel\": \"misc:info\"}}}",
                pod -> proxy(pod).path("args").toString().contains("--proxyComponentLogLevel=misc:info")));
        rows.add(values(
                "global.logging.level",
                "{\"global\": {\"logging\": {\"level\": \"default:debug\"}}}",
                pod -> proxy(pod).path("args").toString().contains("--log_output_level=default:debug")
                        && initArgs(pod).contains("--log_output_level=default:debug")));
        rows.add(values(
                "global.logAsJson",
                "{\"global\": {\"logAsJson\": true}}",
                pod -> proxy(pod).path("args").toString().contains("--log_as_json")
                        && initArgs(pod).contains("--log_as_json")));
        rows.add(values(
                "global.proxy.privileged",
                "{\"global\": {\"proxy\": {\"privileged\": true}}}",
                pod -> proxy(pod).at("/securityContext/privileged").asBoolean()));
        rows.add(values(
                "global.proxy.capNetBindService",
                "{\"global\": {\"proxy\": {\"capNetBindService\": true}}}",
                pod -> proxy(pod)
                        .at("/securityContext/capabilities/add/0")
                        .asText()
                        .equals("NET_BIND_SERVICE")));
        rows.add(values(
                "global.proxy.seccompProfile",
                "{\"global\": {\"proxy\": {\"seccompProfile\": {\"type\": \"RuntimeDefault\"}}}}",
                pod -> proxy(pod)
                        .at("/securityContext/seccompProfile/type")
                        .asText()
                        .equals("RuntimeDefault")));
        rows.add(values(
                "global.proxy.readinessPeriodSeconds",
                "{\"global\": {\"proxy\": {\"readinessPeriodSeconds\": 7}}}",
                pod -> proxy(pod).at("/readinessProbe/periodSeconds").asInt() == 7));
        rows.add(values(
                "global.proxy.startupProbe.enabled",
                "{\"global\": {\"proxy\": {\"startupProbe\": {\"enabled\": false}}}}",
                pod -> proxy(pod).path("startupProbe").isMissingNode()));
        rows.add(values(
                "global.proxy.lifecycle",
                "{\"global\": {\"proxy\": {\"lifecycle\": {\"preStop\": {\"exec\": {\"command\": [\"sleep\", \"5\"]}}}}}}",
                pod -> proxy(pod)
                        .at("/lifecycle/preStop/exec/command/1")
                        .asText()
                        .equals("5")));
        rows.add(values(
                "global.proxy.holdApplicationUntilProxyStarts",
                "{\"global\": {\"proxy\": {\"holdApplicationUntilProxyStarts\": true}}}",
                pod -> pod.at("/spec/containers/0/name").asText().equals("istio-proxy")));
        rows.add(values(
                "global.proxy.clusterDomain",
                "{\"global\": {\"proxy\": {\"clusterDomain\": \"corp.local\"}}}",
                pod -> proxy(pod).path("args").toString().contains("$(POD_NAMESPACE).svc.corp.local")));
        rows.add(values(
                "global.proxy_init.forceApplyIptables",
                "{\"global\": {\"proxy_init\": {\"forceApplyIptables\": true}}}",
                pod -> initArgs(pod).contains("--force-apply")));
        rows.add(values(
                "global.nativeNftables",
                "{\"global\": {\"nativeNftables\": true}}",
                pod -> initArgs(pod).contains("--native-nftables")));
        rows.add(values(
                "global.network",
                "{\"global\": {\"network\": \"net-a\"}}",
                pod -> env(pod, "ISTIO_META_NETWORK").equals("net-a")
                        && pod.at("/metadata/labels/topology.istio.io~1network")
                                .asText()
                                .equals("net-a")));
        rows.add(values(
                "global.meshID",
                "{\"global\": {\"meshID\": \"mesh-1\"}}",
                pod -> env(pod, "ISTIO_META_MESH_ID").equals("mesh-1")));
        rows.add(values(
                "global.multiCluster.clusterName",
                "{\"global\": {\"multiCluster\": {\"clusterName\": \"east\"}}}",
                pod -> env(pod, "ISTIO_META_CLUSTER_ID").equals("east")));
        rows.add(values(
                "global.caAddress",
                "{\"global\": {\"caAddress\": \"ca.example.org:15012\"}}",
                pod -> env(pod, "CA_ADDR").equals("ca.example.org:15012")));
        rows.add(values(
                "revision (CA address)",
                "{\"revision\": \"canary\"}",
                pod -> env(pod, "CA_ADDR").equals("istiod-canary.istio-system.svc:15012")));
        rows.add(values(
                "global.pilotCertProvider",
                "{\"global\": {\"pilotCertProvider\": \"kubernetes\"}}",
                pod -> env(pod, "PILOT_CERT_PROVIDER").equals("kubernetes")
                        && !volumes(pod).contains("istiod-ca-cert")));
        rows.add(values(
                "global.caName",
                "{\"global\": {\"caName\": \"GkeWorkloadCertificate\"}}",
                pod -> volumes(pod).contains("gke-workload-certificate")));
        rows.add(values(
                "global.mountMtlsCerts",
                "{\"global\": {\"mountMtlsCerts\": true}}",
                pod -> volumes(pod).contains("istio-certs")));
        rows.add(values(
                "global.sds.token.aud",
                "{\"global\": {\"sds\": {\"token\": {\"aud\": \"other\"}}}}",
                pod -> pod.toString().contains("\"audience\":\"other\"")));
        rows.add(values(
                "global.sts.servicePort",
                "{\"global\": {\"sts\": {\"servicePort\": 15463}}}",
                pod -> proxy(pod).path("args").toString().contains("--stsPort=15463")));
        rows.add(values(
                "global.trustBundleName",
                "{\"global\": {\"trustBundleName\": \"my-ca\"}}",
                pod -> pod.toString().contains("{\"name\":\"my-ca\"}")));
        rows.add(values(
                "pilot.cni.enabled",
                "{\"pilot\": {\"cni\": {\"enabled\": true}}}",
                pod -> pod.at("/spec/initContainers/0/name").asText().equals("istio-validation")
                        && initArgs(pod).contains("--run-validation")
                        && annotation(pod, "sidecar.istio.io/interceptionMode").equals("REDIRECT")));
        rows.add(values(
                "pilot.cni.provider",
                "{\"pilot\": {\"cni\": {\"enabled\": true, \"provider\": \"multus\"}}}",
                pod -> annotation(pod, "k8s.v1.cni.cncf.io/networks").equals("default/istio-cni")));
        rows.add(values(
                "sidecarInjectorWebhook.rewriteAppHTTPProbe",
                "{\"sidecarInjectorWebhook\": {\"rewriteAppHTTPProbe\": false}}",
                pod -> pod.at("/spec/containers/0/readinessProbe/httpGet/port").asInt() == 8080));
        rows.add(new Row(
                "ENABLE_NATIVE_SIDECARS",
                "",
                "",
                Map.of("ENABLE_NATIVE_SIDECARS", "true"),
                pod -> pod.at("/spec/initContainers/1/name").asText().equals("istio-proxy")
                        && pod.at("/spec/initContainers/1/restartPolicy")
                                .asText()
                                .equals("Always")));
        rows.add(new Row(
                "COMPLIANCE_POLICY",
                "",
                "",
                Map.of("COMPLIANCE_POLICY", "fips-140-2"),
                pod -> env(pod, "COMPLIANCE_POLICY").equals("fips-140-2")));
        return rows.stream().map(Arguments::of);
    }

    /** One application container with a readiness probe. */
    static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("app")
                .withNamespace("demo")
                .addToLabels("app", "app")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withNewPort(8080)
                .endHttpGet()
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theFieldChangesThePodAsIstioWould(Row row) throws Exception {
        IstioDocuments documents = IstioDocuments.load(
                row.mesh().isEmpty() ? Optional.empty() : Optional.of(new TextDocument("mesh", row.mesh())),
                Optional.empty(),
                row.values().isEmpty() ? Optional.empty() : Optional.of(new TextDocument("values", row.values())));
        Map<String, String> env = new java.util.HashMap<>(row.switches());
        env.putIfAbsent(IstioSwitches.NATIVE_SIDECARS_VARIABLE, "false");
        ActiveConfig config = ActiveConfigFactory.build(engine, documents, "", IstioSwitches.from(env), () -> false);
        JsonNode injected = PodPatch.tree(Injector.inject(pod(), "demo", config).pod());
        JsonNode defaults = PodPatch.tree(Injector.inject(
                        pod(),
                        "demo",
                        ActiveConfigFactory.build(
                                engine,
                                IstioDocuments.defaults(),
                                "",
                                IstioSwitches.from(Map.of(IstioSwitches.NATIVE_SIDECARS_VARIABLE, "false")),
                                () -> false))
                .pod());
        assertTrue(row.effect().test(injected), row.field() + " takes effect: " + injected);
        assertTrue(!row.effect().test(defaults), row.field() + ": the check does not hold without the field");
    }

    static JsonNode proxy(JsonNode pod) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.at("/spec/" + list)) {
                if (c.path("name").asText().equals("istio-proxy")) {
                    return c;
                }
            }
        }
        throw new AssertionError("no istio-proxy in " + pod);
    }

    static String env(JsonNode pod, String name) {
        for (JsonNode e : proxy(pod).path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return "";
    }

    static String annotation(JsonNode pod, String key) {
        return pod.at("/metadata/annotations").path(key).asText("");
    }

    static List<String> initArgs(JsonNode pod) {
        List<String> args = new ArrayList<>();
        for (JsonNode c : pod.at("/spec/initContainers")) {
            if (c.path("name").asText().startsWith("istio-")
                    && !c.path("name").asText().equals("istio-proxy")) {
                c.path("args").forEach(a -> args.add(a.asText()));
            }
        }
        return args;
    }

    static String flag(JsonNode pod, String flag) {
        List<String> args = initArgs(pod);
        int i = args.indexOf(flag);
        return i < 0 || i + 1 >= args.size() ? "" : args.get(i + 1);
    }

    static List<String> volumes(JsonNode pod) {
        List<String> names = new ArrayList<>();
        pod.at("/spec/volumes").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }
}
