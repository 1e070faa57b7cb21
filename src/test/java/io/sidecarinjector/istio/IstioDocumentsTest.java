package io.sidecarinjector.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.GoldenFiles;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Istio's documents as an installation holds them: what loads, what is refused, how they merge. */
@QuarkusTest
class IstioDocumentsTest {

    static final Path INSTALLATION = Path.of("src/test/resources/istio-1.30-default");

    @Inject
    Engine engine;

    static ConfigMap configMap(String file) throws Exception {
        return Mappers.YAML.readValue(Files.readString(INSTALLATION.resolve(file)), ConfigMap.class);
    }

    static Optional<TextDocument> doc(String name, String text) {
        return Optional.of(new TextDocument(name, text));
    }

    static IstioDocuments mesh(String text) throws InvalidConfigException {
        return IstioDocuments.load(doc("mesh", text), Optional.empty(), Optional.empty());
    }

    ActiveConfig active(IstioDocuments documents) throws InvalidConfigException {
        return ActiveConfigFactory.build(
                engine, documents, "", new IstioSwitches(IstioSwitches.NativeSidecars.FALSE, ""), () -> false);
    }

    @Test
    void theConfigMapsOfADefaultInstallationLoadAndInjectAsTheBuiltInDefaults() throws Exception {
        ConfigMap istio = configMap("istio.yaml");
        ConfigMap injector = configMap("istio-sidecar-injector.yaml");
        IstioDocuments installed = IstioDocuments.load(
                doc("istio/mesh", istio.getData().get("mesh")),
                doc("istio-sidecar-injector/config", injector.getData().get("config")),
                doc("istio-sidecar-injector/values", injector.getData().get("values")));
        ActiveConfig config = active(installed);
        assertEquals(List.of(), config.templates().unsupportedGoTemplates(), "every stock template is served");
        Pod input = GoldenFiles.input("several-containers-with-ports");
        Pod fromInstallation = Injector.inject(input, "demo", config).pod();
        Pod fromDefaults = Injector.inject(input, "demo", active(IstioDocuments.defaults()))
                .pod();
        assertEquals(PodPatch.tree(fromDefaults), PodPatch.tree(fromInstallation));
    }

    @Test
    void meshConfigFieldsThatConcernNoInjectionLoad() throws Exception {
        IstioDocuments docs = mesh("""
                accessLogFile: /dev/stdout
                accessLogEncoding: JSON
                outboundTrafficPolicy:
                  mode: REGISTRY_ONLY
                meshMTLS:
                  minProtocolVersion: TLSV1_3
                localityLbSetting:
                  enabled: true
                extensionProviders:
                - name: otel
                  opentelemetry:
                    service: otel-collector.observability.svc.cluster.local
                    port: 4317
                defaultConfig:
                  tracing:
                    zipkin:
                      address: zipkin.istio-system:9411
                  proxyStatsMatcher:
                    inclusionPrefixes: [cluster.outbound]
                """);
        assertEquals("cluster.local", docs.mesh().trustDomain());
    }

    @Test
    void aMisspeltFieldIsRefusedWithItsKeyAndLine() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> mesh("trustDomain: example.org\ndefaultConfig:\n  statusPrt: 15021\n"));
        assertEquals(
                "mesh:3: unknown key 'defaultConfig.statusPrt': ProxyConfig has no field of that name", e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsKey() {
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> mesh("enablePrometheusMerge: [yes]\n"));
        assertTrue(
                e.getMessage().startsWith("mesh:1: key 'enablePrometheusMerge': expected true or false"),
                e.getMessage());
    }

    @Test
    void protoNamesAreAcceptedAsIstioAcceptsThem() throws Exception {
        IstioDocuments docs = mesh("default_config:\n  status_port: 15099\n  proxy_metadata:\n    MY_VAR: x\n");
        assertEquals(15099, docs.mesh().defaultConfig().statusPort());
        assertEquals("x", docs.mesh().defaultConfig().proxyMetadata().get("MY_VAR"), "map keys are kept");
    }

    @Test
    void anUnknownKeyOfTheInjectionConfigurationIsNamed() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> IstioDocuments.load(
                        Optional.empty(),
                        doc("config", "policy: enabled\nignoredNamespaces: [a]\n"),
                        Optional.empty()));
        assertTrue(e.getMessage().startsWith("config:2: unknown key 'ignoredNamespaces'"), e.getMessage());
    }

    @Test
    void valuesMergeAsHelmMergesThem() throws Exception {
        IstioDocuments docs = IstioDocuments.load(Optional.empty(), Optional.empty(), doc("values", """
                {"global": {"hub": "example.org/istio", "proxy": {"includeIPRanges": null,
                 "resources": {"requests": {"memory": "64Mi"}}}}}
                """));
        assertEquals("example.org/istio", docs.values().text("global.hub"));
        assertEquals("1.30.3", docs.values().text("global.tag"), "the rest stays the default");
        assertTrue(docs.values().node("global.proxy.includeIPRanges").isMissingNode(), "null removes the key");
        assertEquals(
                "{\"requests\":{\"memory\":\"64Mi\"}}",
                docs.values().node("global.proxy.resources").toString(),
                "resources replace the default whole");
    }

    @Test
    void emptyDocumentsMeanTheDefaults() throws Exception {
        IstioDocuments empty = IstioDocuments.load(doc("m", ""), doc("c", "# nothing\n"), doc("v", "{}"));
        assertEquals(IstioDocuments.defaults().hash(), empty.hash());
        assertFalse(IstioDocuments.defaults().hash().isEmpty());
    }
}
