package io.sidecarinjector.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sidecarinjector.policy.PodSelector;
import io.sidecarinjector.webhook.Revision;
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
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        return resources.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void everyFieldIsKnownToTheModel() throws Exception {
        for (HasMetadata resource : resources) {
            List<String> unknown = new ArrayList<>();
            unknownFields(
                    resource,
                    resource.getKind() + "/" + resource.getMetadata().getName(),
                    unknown,
                    new IdentityHashMap<>());
            assertEquals(List.of(), unknown);
        }
    }

    /** Walks the model; fabric8 keeps fields it does not know in additionalProperties. */
    static void unknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen)
            throws Exception {
        if (node == null
                || seen.put(node, true) != null
                || !node.getClass().getName().startsWith("io.fabric8")) {
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
        for (PropertyDescriptor property :
                Introspector.getBeanInfo(node.getClass()).getPropertyDescriptors()) {
            Method getter = property.getReadMethod();
            if (getter == null
                    || getter.getParameterCount() != 0
                    || property.getName().equals("class")) {
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

    static MutatingWebhookConfiguration webhookConfiguration() {
        return one(MutatingWebhookConfiguration.class, "sidecar-injector");
    }

    /** A webhook for comparison with Istio's: without the Service called, with the API server's defaults filled in. */
    static MutatingWebhook comparable(MutatingWebhook webhook) {
        MutatingWebhook copy =
                new MutatingWebhookBuilder(webhook).withClientConfig(null).build();
        if (copy.getTimeoutSeconds() == null) {
            copy.setTimeoutSeconds(10);
        }
        if (copy.getMatchPolicy() == null) {
            copy.setMatchPolicy("Equivalent");
        }
        return copy;
    }

    @Test
    void theWebhooksAreIstiosForTheDefaultRevision() throws Exception {
        List<MutatingWebhook> istio;
        try (var in = Files.newInputStream(
                Path.of("src/test/resources/manifests/istio-1.30-default-revision-webhooks.yaml"))) {
            istio = Serialization.unmarshal(in, new TypeReference<List<MutatingWebhook>>() {});
        }
        List<MutatingWebhook> ours = webhookConfiguration().getWebhooks();
        assertEquals(
                istio.stream().map(MutatingWebhook::getName).toList(),
                ours.stream().map(MutatingWebhook::getName).toList(),
                "Istio's four webhooks, in Istio's order");
        assertEquals(
                istio.stream().map(ManifestsIT::comparable).toList(),
                ours.stream().map(ManifestsIT::comparable).toList());
        for (MutatingWebhook webhook : ours) {
            assertEquals("/inject", webhook.getClientConfig().getService().getPath(), webhook.getName());
            assertEquals(443, webhook.getClientConfig().getService().getPort(), webhook.getName());
            assertEquals(null, webhook.getClientConfig().getCaBundle(), "a re-applied manifest keeps the caBundle");
        }
    }

    @Test
    void theConfigurationIsLabelledSoThatIstiodLeavesItAlone() {
        MutatingWebhookConfiguration config = webhookConfiguration();
        Map<String, String> labels = config.getMetadata().getLabels();
        assertEquals(Revision.DEFAULT, labels.get(Revision.REVISION_LABEL), labels.toString());
        // istiod writes its caBundle into configurations labelled istio.io/rev and counts those labelled
        // istio.io/tag as its tags; its own are named istio-sidecar-injector* and istio-revision-tag-*
        assertFalse(labels.containsKey("istio.io/rev"), labels.toString());
        assertFalse(labels.containsKey("istio.io/tag"), labels.toString());
        assertFalse(config.getMetadata().getName().startsWith("istio-"));
        assertEquals(
                new Revision("").webhookConfigurationName(),
                config.getMetadata().getName());
    }

    @Test
    void theInjectorsOwnPodsAreNeverSelected() {
        Map<String, String> podLabels = one(Deployment.class, "sidecar-injector")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        for (MutatingWebhook webhook : webhookConfiguration().getWebhooks()) {
            assertFalse(PodSelector.of(webhook.getObjectSelector()).matches(podLabels), webhook.getName());
        }
    }

    @Test
    void checkInjectMatchesTheDefaultRevisionsNamespaceWebhook() {
        MutatingWebhook namespace = webhookConfiguration().getWebhooks().stream()
                .filter(w -> w.getName().equals("namespace.sidecar-injector.istio.io"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(new LabelSelectorRequirement("istio-injection", "In", List.of("enabled"))),
                namespace.getNamespaceSelector().getMatchExpressions());
        assertEquals(
                List.of(new LabelSelectorRequirement("sidecar.istio.io/inject", "NotIn", List.of("false"))),
                namespace.getObjectSelector().getMatchExpressions());
    }

    /** check-inject says "called" exactly when one of the generated webhooks selects the namespace and the pod. */
    @Test
    void checkInjectAgreesWithTheGeneratedWebhooks() {
        List<Map<String, String>> namespaces = List.of(
                Map.of(),
                Map.of("istio-injection", "enabled"),
                Map.of("istio-injection", "disabled"),
                Map.of("istio.io/rev", "default"),
                Map.of("istio.io/rev", "canary"));
        List<Map<String, String>> pods = List.of(
                Map.of(),
                Map.of("sidecar.istio.io/inject", "false"),
                Map.of("sidecar.istio.io/inject", "true"),
                Map.of("istio.io/rev", "default"),
                Map.of("istio.io/rev", "canary"));
        for (Map<String, String> namespace : namespaces) {
            for (Map<String, String> podLabels : pods) {
                boolean selected = webhookConfiguration().getWebhooks().stream()
                        .anyMatch(w -> PodSelector.of(w.getNamespaceSelector()).matches(namespace)
                                && PodSelector.of(w.getObjectSelector()).matches(podLabels));
                io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata()
                        .withLabels(podLabels)
                        .endMetadata()
                        .build();
                String said = io.sidecarinjector.cli.InjectionCheck.webhookCall(namespace, pod, "");
                assertEquals(selected, said.startsWith("called"), namespace + " " + podLabels + ": " + said);
            }
        }
    }

    @Test
    void theWebhookServiceReachesTheHttpsPort() {
        MutatingWebhook webhook = webhookConfiguration().getWebhooks().get(0);
        Service service =
                one(Service.class, webhook.getClientConfig().getService().getName());
        assertEquals(
                webhook.getClientConfig().getService().getNamespace(),
                service.getMetadata().getNamespace());
        var https = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == 443)
                .findFirst()
                .orElseThrow();
        Container container = one(Deployment.class, "sidecar-injector")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        int target = https.getTargetPort().getIntVal();
        assertTrue(container.getPorts().stream()
                .anyMatch(p -> p.getContainerPort() == target && "https".equals(p.getName())));
        assertTrue(
                container.getEnv().stream()
                        .anyMatch(e -> e.getName().equals("INJECTOR_TLS_REQUIRED")
                                && e.getValue().equals("true")),
                "/inject over HTTPS only in the cluster");
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
            assertEquals(
                    List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), c.getName());
            assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
        }
        Container main = pod.getContainers().get(0);
        assertEquals("/q/health/ready", main.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", main.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", main.getStartupProbe().getHttpGet().getPath());
        assertEquals(List.of("tls-bootstrap"), pod.getInitContainers().get(0).getArgs());
        for (Container c : all) {
            assertTrue(
                    c.getEnv().stream()
                            .anyMatch(e -> e.getName().equals("INJECTOR_TLS_MODE")
                                    && e.getValue().equals("self-managed")),
                    c.getName() + ": self-managed TLS by default");
        }
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "sidecar-injector");
        assertTrue(deployment
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    }

    @Test
    void rbacIsLimitedToTheInjectorsOwnObjects() {
        Role role = one(Role.class, "sidecar-injector-tls");
        role.getRules().forEach(rule -> {
            assertEquals(List.of("secrets"), rule.getResources());
            assertTrue(
                    Set.of("get", "update", "create").containsAll(rule.getVerbs()),
                    rule.getVerbs().toString());
            if (!rule.getVerbs().equals(List.of("create"))) {
                assertEquals(List.of("sidecar-injector-tls"), rule.getResourceNames());
            }
        });
        ClusterRole clusterRole = one(ClusterRole.class, "sidecar-injector-webhook");
        clusterRole.getRules().forEach(rule -> {
            assertEquals(List.of("mutatingwebhookconfigurations"), rule.getResources());
            if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                // finding the configurations by their label needs list and watch on all
                assertEquals(List.of("list", "watch"), rule.getVerbs());
            } else {
                assertEquals(List.of("update"), rule.getVerbs(), "only the caBundle of our own configurations");
                assertEquals(List.of(webhookConfiguration().getMetadata().getName()), rule.getResourceNames());
            }
        });
        ClusterRole reader = one(ClusterRole.class, "sidecar-injector-reader");
        reader.getRules().forEach(rule -> assertEquals(List.of("list"), rule.getVerbs(), "read-only"));
        assertEquals(
                Set.of("nodes", "proxyconfigs"),
                reader.getRules().stream()
                        .flatMap(rule -> rule.getResources().stream())
                        .collect(java.util.stream.Collectors.toSet()));
        assertTrue(
                resources.stream().noneMatch(r -> r.getMetadata().getName().endsWith("-view")),
                "no broad view role binding");
    }

    @Test
    void theInjectorReadsIstiosOwnConfigMaps() {
        var pod = one(Deployment.class, "sidecar-injector")
                .getSpec()
                .getTemplate()
                .getSpec();
        Map<String, String> configMaps = new java.util.HashMap<>();
        pod.getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .forEach(v -> configMaps.put(v.getName(), v.getConfigMap().getName()));
        assertEquals("istio", configMaps.get("istio-mesh"));
        assertEquals("istio-sidecar-injector", configMaps.get("istio-injector"));
        Container container = pod.getContainers().get(0);
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertEquals("/etc/istio/mesh/mesh", env.get("INJECTOR_MESH_FILE"));
        assertEquals("/etc/istio/injector/config", env.get("INJECTOR_CONFIG_FILE"));
        assertEquals("/etc/istio/injector/values", env.get("INJECTOR_VALUES_FILE"));
        // HTTPS: the tls profile makes these files the key store (an environment variable alone cannot name it)
        assertEquals("prod,tls", env.get("QUARKUS_PROFILE"));
        assertEquals("/var/run/sidecar-injector/tls/tls.crt", env.get("INJECTOR_TLS_CERTIFICATE_FILE"));
        assertEquals("/var/run/sidecar-injector/tls/tls.key", env.get("INJECTOR_TLS_KEY_FILE"));
        assertTrue(resources.stream().noneMatch(r -> r instanceof ConfigMap), "no configuration of its own");
    }

    @Test
    void bothContainersReadTheRevision() {
        var pod = one(Deployment.class, "sidecar-injector")
                .getSpec()
                .getTemplate()
                .getSpec();
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(pod.getInitContainers());
        for (Container c : all) {
            assertTrue(
                    c.getEnv().stream()
                            .anyMatch(e -> e.getName().equals("INJECTOR_REVISION")
                                    && (e.getValue() == null || e.getValue().isEmpty())),
                    c.getName() + ": the default revision");
        }
    }

    @Test
    void theHelmChartTemplatesTheRevisionAndItsTags() throws Exception {
        Path chart = Path.of("target/helm/kubernetes/sidecar-injector");
        String webhook = Files.readString(chart.resolve("templates/mutatingwebhookconfiguration.yaml"));
        assertTrue(
                webhook.contains("name: {{ include \"sidecar-injector.configurationName\" . }}")
                        && webhook.contains("{{- include \"sidecar-injector.webhooks\"")
                        && webhook.contains("{{ include \"sidecar-injector.tagConfigurations\" . }}"),
                webhook);
        String helpers = Files.readString(chart.resolve("templates/_webhooks.tpl"));
        for (String define : List.of(
                "sidecar-injector.webhooks",
                "sidecar-injector.tagConfigurations",
                "sidecar-injector.configurationName",
                "sidecar-injector.webhookRules")) {
            assertTrue(helpers.contains("{{- define \"" + define + "\" -}}"), define);
        }
        assertFalse(helpers.contains("istio.io/rev:") || helpers.contains("istio.io/tag:"), "no istiod labels");
        String clusterRole = Files.readString(chart.resolve("templates/clusterrole.yaml"));
        assertTrue(clusterRole.contains("{{- include \"sidecar-injector.webhookRules\" . "), clusterRole);
        String deployment = Files.readString(chart.resolve("templates/deployment.yaml"));
        assertEquals(2, deployment.split("\\{\\{ \\.Values\\.app\\.revision \\| quote }}", -1).length - 1, deployment);
        String values = Files.readString(chart.resolve("values.yaml"));
        assertTrue(
                values.contains("revision: \"\"")
                        && values.contains("revisionTags: []")
                        && values.contains("reinvocationPolicy: Never"),
                values);
    }

    @Test
    void theHelmChartDrivesBothContainersTlsModeFromOneValue() throws Exception {
        String deployment =
                Files.readString(Path.of("target/helm/kubernetes/sidecar-injector/templates/deployment.yaml"));
        assertEquals(
                2,
                deployment.split("\\{\\{ \\.Values\\.app\\.envs\\.INJECTOR_TLS_MODE \\| quote }}", -1).length - 1,
                deployment);
        String values = Files.readString(Path.of("target/helm/kubernetes/sidecar-injector/values.yaml"));
        assertTrue(values.contains("INJECTOR_TLS_MODE: self-managed"), values);
        String webhooks = Files.readString(Path.of("target/helm/kubernetes/sidecar-injector/templates/_webhooks.tpl"));
        assertTrue(
                webhooks.contains("{{ $root.Values.app.webhook.failurePolicy }}")
                        && webhooks.contains("{{ $root.Values.app.webhook.timeoutSeconds }}")
                        && webhooks.contains("{{ $root.Values.app.webhook.reinvocationPolicy }}"),
                webhooks);
    }

    @Test
    void theKnativeServiceMayScaleToZero() throws Exception {
        Object parsed = Serialization.unmarshal(Files.readString(Path.of("target/kubernetes/knative.yml")));
        List<?> knative = parsed instanceof List<?> list ? list : List.of(parsed);
        HasMetadata service = knative.stream()
                .map(HasMetadata.class::cast)
                .filter(r -> r.getKind().equals("Service") && r.getApiVersion().startsWith("serving.knative.dev"))
                .findFirst()
                .orElseThrow();
        String yaml = Serialization.asYaml(service);
        assertTrue(yaml.contains("autoscaling.knative.dev/min-scale: \"0\""), yaml);
    }
}
