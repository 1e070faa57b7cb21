package io.sidecarinjector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConfigDocumentsTest {

    static Optional<ConfigDocuments.Document> doc(String text) {
        return Optional.of(new ConfigDocuments.Document("test.yaml", text));
    }

    @Test
    void defaultsAreIstiosDefaults() {
        InjectorConfig config = ConfigDocuments.defaults();
        assertEquals("enabled", config.injection().policy());
        assertEquals(List.of("sidecar"), config.injection().defaultTemplates());
        assertEquals(List.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage"),
                config.injection().ignoredNamespaces());
        MeshConfig mesh = config.mesh();
        assertEquals(new MeshConfig.Ports(15001, 15006, 15020, 15021, 15090), mesh.ports());
        assertEquals(1337, mesh.proxyUid());
        assertEquals("REDIRECT", mesh.interceptionMode());
        assertEquals(12, config.revision().length());
    }

    @Test
    void aPartialDocumentOverridesOnlyItsKeys() throws Exception {
        InjectorConfig config = ConfigDocuments.load(doc("policy: disabled\n"), doc("ports:\n  status: 15999\n"));
        assertEquals("disabled", config.injection().policy());
        assertEquals(List.of("sidecar"), config.injection().defaultTemplates());
        assertEquals(15999, config.mesh().ports().status());
        assertEquals(15001, config.mesh().ports().outbound(), "a nested mapping merges key by key");
        assertNotEquals(ConfigDocuments.defaults().revision(), config.revision());
    }

    @Test
    void aLoadLeavesTheDefaultsAsTheyWere() throws Exception {
        InjectorConfig before = ConfigDocuments.defaults();
        ConfigDocuments.load(doc("policy: disabled\nignoredNamespaces: [infra]\n"),
                doc("ports:\n  status: 15999\nproxyUid: 1000\n"));
        assertEquals(before, ConfigDocuments.defaults(), "the built-in documents are read once and shared");
    }

    @Test
    void anEmptyDocumentMeansDefaults() throws Exception {
        InjectorConfig config = ConfigDocuments.load(doc(""), doc("# nothing but a comment\n"));
        assertEquals(ConfigDocuments.defaults(), config);
    }

    @Test
    void aListReplacesTheDefaultList() throws Exception {
        InjectorConfig config = ConfigDocuments.load(doc("ignoredNamespaces: [infra]\n"), Optional.empty());
        assertEquals(List.of("infra"), config.injection().ignoredNamespaces());
    }

    @Test
    void selectorsAreKubernetesLabelSelectors() throws Exception {
        InjectorConfig config = ConfigDocuments.load(doc("""
                neverInjectSelector:
                - matchExpressions:
                  - {key: openshift.io/build.name, operator: Exists}
                alwaysInjectSelector:
                - matchLabels: {mesh: "yes"}
                """), Optional.empty());
        assertEquals("Exists", config.injection().neverInjectSelector().get(0).getMatchExpressions().get(0)
                .getOperator());
        assertEquals("yes", config.injection().alwaysInjectSelector().get(0).getMatchLabels().get("mesh"));
    }

    @Test
    void malformedYamlNamesTheDocumentAndTheLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigDocuments.load(doc("policy: enabled\nneverInjectSelector: [\n  - a: b\n"), Optional.empty()));
        assertTrue(e.getMessage().startsWith("test.yaml:"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsAnError() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigDocuments.load(doc("polcy: enabled\n"), Optional.empty()));
        assertTrue(e.getMessage().contains("unknown key 'polcy'"), e.getMessage());
    }

    @Test
    void anUnknownPolicyIsAnError() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigDocuments.load(doc("policy: sometimes\n"), Optional.empty()));
        assertTrue(e.getMessage().contains("'policy'") && e.getMessage().contains("sometimes"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheKey() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigDocuments.load(Optional.empty(), doc("ports:\n  status: lots\n")));
        assertTrue(e.getMessage().contains("ports.status"), e.getMessage());
    }

    @Test
    void aDocumentThatIsNotAMappingIsAnError() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigDocuments.load(doc("- policy\n"), Optional.empty()));
        assertTrue(e.getMessage().contains("not a YAML mapping"), e.getMessage());
    }

    @Test
    void theCommentedExampleConfigMapLoads() throws Exception {
        var map = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                java.nio.file.Files.readString(java.nio.file.Path.of("kubernetes/examples/configmap-custom.yaml")),
                io.fabric8.kubernetes.api.model.ConfigMap.class);
        InjectorConfig config = ConfigDocuments.load(doc(map.getData().get("config")), doc(map.getData().get("mesh")));
        assertEquals("disabled", config.injection().policy());
        assertTrue(config.injection().templates().containsKey("debug-tools"));
        assertEquals("registry.example.com/istio", config.mesh().hub());
        assertTrue(config.mesh().holdApplicationUntilProxyStarts());
        assertEquals(15001, config.mesh().ports().outbound(), "keys it does not name keep their defaults");
    }

    @Test
    void aNullForANumberIsAnError() {
        assertThrows(InvalidConfigException.class, () -> ConfigDocuments.load(Optional.empty(), doc("proxyUid: null\n")));
    }
}
