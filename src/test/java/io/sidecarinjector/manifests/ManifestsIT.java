package io.sidecarinjector.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The manifests the build emits ({@code target/kubernetes/kubernetes.yml}), parsed with the fabric8 model: every
 * field must be one the model knows, and the webhook's safety properties must hold.
 */
class ManifestsIT {

    static List<HasMetadata> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws Exception {
        Object parsed = Serialization.unmarshal(Files.readString(Path.of("target/kubernetes/kubernetes.yml")));
        resources = parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
    }

    static <T extends HasMetadata> T one(Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void everyFieldIsKnownToTheModel() throws Exception {
        for (HasMetadata resource : resources) {
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, resource.getKind() + "/" + resource.getMetadata().getName(), unknown,
                    new IdentityHashMap<>());
            assertEquals(List.of(), unknown);
        }
    }

    /** Walks the model; fabric8 keeps fields it does not know in additionalProperties. */
    static void unknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen)
            throws Exception {
        if (node == null || seen.put(node, true) != null || !node.getClass().getName().startsWith("io.fabric8")) {
            if (node instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    unknownFields(item, path + "[" + i++ + "]", unknown, seen);
                }
            } else if (node instanceof Map<?, ?> map && !(node instanceof java.util.EnumMap)) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    unknownFields(e.getValue(), path + "." + e.getKey(), unknown, seen);
                }
            }
            return;
        }
        for (PropertyDescriptor property : Introspector.getBeanInfo(node.getClass()).getPropertyDescriptors()) {
            Method getter = property.getReadMethod();
            if (getter == null || getter.getParameterCount() != 0 || property.getName().equals("class")) {
                continue;
            }
            Object value = getter.invoke(node);
            if (property.getName().equals("additionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(value, path + "." + property.getName(), unknown, seen);
        }
    }

    @Test
    void theWebhookFollowsTheAdmissionWebhookGoodPractices() {
        MutatingWebhookConfiguration config = one(MutatingWebhookConfiguration.class, "sidecar-injector");
        assertEquals(1, config.getWebhooks().size());
        MutatingWebhook webhook = config.getWebhooks().get(0);
        assertEquals(1, webhook.getRules().size());
        assertEquals(List.of("CREATE"), webhook.getRules().get(0).getOperations());
        assertEquals(List.of("pods"), webhook.getRules().get(0).getResources());
        assertEquals(List.of(""), webhook.getRules().get(0).getApiGroups());
        assertEquals(List.of("v1", "v1beta1"), webhook.getAdmissionReviewVersions());
        assertEquals("None", webhook.getSideEffects());
        assertEquals("Fail", webhook.getFailurePolicy());
        assertEquals("IfNeeded", webhook.getReinvocationPolicy());
        assertEquals("Equivalent", webhook.getMatchPolicy());
        assertTrue(webhook.getTimeoutSeconds() > 0 && webhook.getTimeoutSeconds() <= 10, "a small timeout");
        assertEquals("/inject", webhook.getClientConfig().getService().getPath());
        assertEquals(443, webhook.getClientConfig().getService().getPort());
    }

    @Test
    void theSelectorsAvoidASelfDependencyAndMatchCheckInject() {
        MutatingWebhook webhook = one(MutatingWebhookConfiguration.class, "sidecar-injector").getWebhooks().get(0);
        Deployment deployment = one(Deployment.class, "sidecar-injector");
        String namespace = deployment.getMetadata().getNamespace();
        List<LabelSelectorRequirement> ns = webhook.getNamespaceSelector().getMatchExpressions();
        assertTrue(ns.contains(new LabelSelectorRequirement("istio-injection", "In", List.of("enabled"))), ns.toString());
        LabelSelectorRequirement notSelf = ns.stream().filter(r -> r.getKey().equals("kubernetes.io/metadata.name"))
                .findFirst().orElseThrow();
        assertEquals("NotIn", notSelf.getOperator());
        assertTrue(notSelf.getValues().containsAll(List.of(namespace, "kube-system")), notSelf.toString());
        assertEquals(List.of(new LabelSelectorRequirement("sidecar.istio.io/inject", "NotIn", List.of("false"))),
                webhook.getObjectSelector().getMatchExpressions());
        assertTrue(io.sidecarinjector.cli.InjectionCheck.NAMESPACE_SELECTOR.matches(Map.of("istio-injection", "enabled")));
        assertFalse(io.sidecarinjector.cli.InjectionCheck.OBJECT_SELECTOR.matches(Map.of("sidecar.istio.io/inject", "false")));
    }

    @Test
    void theWebhookServiceReachesTheHttpsPort() {
        MutatingWebhook webhook = one(MutatingWebhookConfiguration.class, "sidecar-injector").getWebhooks().get(0);
        Service service = one(Service.class, webhook.getClientConfig().getService().getName());
        assertEquals(webhook.getClientConfig().getService().getNamespace(), service.getMetadata().getNamespace());
        var https = service.getSpec().getPorts().stream().filter(p -> p.getPort() == 443).findFirst().orElseThrow();
        Container container = one(Deployment.class, "sidecar-injector").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        int target = https.getTargetPort().getIntVal();
        assertTrue(container.getPorts().stream().anyMatch(p -> p.getContainerPort() == target && "https".equals(p.getName())));
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("INJECTOR_TLS_REQUIRED")
                && e.getValue().equals("true")), "/inject over HTTPS only in the cluster");
    }

    @Test
    void theDeploymentIsHardenedAndHighlyAvailable() {
        Deployment deployment = one(Deployment.class, "sidecar-injector");
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(2, deployment.getSpec().getReplicas());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertFalse(pod.getTopologySpreadConstraints().isEmpty());
        assertFalse(pod.getEnableServiceLinks(), "no service environment variables to read at every start");
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(pod.getInitContainers());
        for (Container c : all) {
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName());
            assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), c.getName());
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), c.getName());
            assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
        }
        Container main = pod.getContainers().get(0);
        assertEquals("/q/health/ready", main.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", main.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", main.getStartupProbe().getHttpGet().getPath());
        assertEquals(List.of("tls-bootstrap"), pod.getInitContainers().get(0).getArgs());
        for (Container c : all) {
            assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("INJECTOR_TLS_MODE")
                    && e.getValue().equals("self-managed")), c.getName() + ": self-managed TLS by default");
        }
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "sidecar-injector");
        assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    }

    @Test
    void rbacIsLimitedToTheInjectorsOwnObjects() {
        Role role = one(Role.class, "sidecar-injector-tls");
        role.getRules().forEach(rule -> {
            assertEquals(List.of("secrets"), rule.getResources());
            assertTrue(Set.of("get", "update", "create").containsAll(rule.getVerbs()), rule.getVerbs().toString());
            if (!rule.getVerbs().equals(List.of("create"))) {
                assertEquals(List.of("sidecar-injector-tls"), rule.getResourceNames());
            }
        });
        ClusterRole clusterRole = one(ClusterRole.class, "sidecar-injector-webhook");
        clusterRole.getRules().forEach(rule -> {
            assertEquals(List.of("mutatingwebhookconfigurations"), rule.getResources());
            assertFalse(rule.getVerbs().contains("delete") || rule.getVerbs().contains("create"));
            if (rule.getVerbs().contains("update") || rule.getVerbs().contains("patch")) {
                assertEquals(List.of("sidecar-injector"), rule.getResourceNames());
            }
        });
        assertTrue(resources.stream().noneMatch(r -> r.getMetadata().getName().endsWith("-view")),
                "no broad view role binding");
    }

    @Test
    void theInjectorReadsIstiosOwnConfigMaps() {
        var pod = one(Deployment.class, "sidecar-injector").getSpec().getTemplate().getSpec();
        Map<String, String> configMaps = new java.util.HashMap<>();
        pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .forEach(v -> configMaps.put(v.getName(), v.getConfigMap().getName()));
        assertEquals("istio", configMaps.get("istio-mesh"));
        assertEquals("istio-sidecar-injector", configMaps.get("istio-injector"));
        Container container = pod.getContainers().get(0);
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertEquals("/etc/istio/mesh/mesh", env.get("INJECTOR_MESH_FILE"));
        assertEquals("/etc/istio/injector/config", env.get("INJECTOR_CONFIG_FILE"));
        assertEquals("/etc/istio/injector/values", env.get("INJECTOR_VALUES_FILE"));
        assertTrue(resources.stream().noneMatch(r -> r instanceof ConfigMap), "no configuration of its own");
    }

    @Test
    void theHelmChartDrivesBothContainersTlsModeFromOneValue() throws Exception {
        String deployment = Files.readString(
                Path.of("target/helm/kubernetes/sidecar-injector/templates/deployment.yaml"));
        assertEquals(2, deployment.split("\\{\\{ \\.Values\\.app\\.envs\\.INJECTOR_TLS_MODE \\| quote }}", -1).length - 1,
                deployment);
        String values = Files.readString(Path.of("target/helm/kubernetes/sidecar-injector/values.yaml"));
        assertTrue(values.contains("INJECTOR_TLS_MODE: self-managed"), values);
        String webhook = Files.readString(
                Path.of("target/helm/kubernetes/sidecar-injector/templates/mutatingwebhookconfiguration.yaml"));
        assertTrue(webhook.contains("{{ .Values.app.webhook.failurePolicy }}")
                && webhook.contains("{{ .Values.app.webhook.timeoutSeconds }}"), webhook);
    }

    @Test
    void theKnativeServiceMayScaleToZero() throws Exception {
        Object parsed = Serialization.unmarshal(Files.readString(Path.of("target/kubernetes/knative.yml")));
        List<?> knative = parsed instanceof List<?> list ? list : List.of(parsed);
        HasMetadata service = knative.stream().map(HasMetadata.class::cast)
                .filter(r -> r.getKind().equals("Service") && r.getApiVersion().startsWith("serving.knative.dev"))
                .findFirst().orElseThrow();
        String yaml = Serialization.asYaml(service);
        assertTrue(yaml.contains("autoscaling.knative.dev/min-scale: \"0\""), yaml);
    }
}
