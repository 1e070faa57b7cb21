package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.reload.ActiveConfigFactory;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The self-check that a configuration passes before it serves: every template, default or not, is rendered. */
@QuarkusTest
class SnapshotFactoryTest {

    /** A Qute template that renders YAML that is not a pod: containers must be a list. */
    static final String NOT_A_POD = "|\n    {! qute !}\n    spec:\n      containers: 5\n";

    @Inject
    Engine engine;

    ActiveConfig build(String injectionConfig) throws InvalidConfigException {
        return ActiveConfigFactory.build(
                engine,
                IstioDocuments.load(
                        Optional.empty(),
                        Optional.of(new TextDocument("test config", injectionConfig)),
                        Optional.empty()),
                "",
                new IstioSwitches(IstioSwitches.NativeSidecars.FALSE, ""),
                () -> false);
    }

    @Test
    void theBuiltInConfigurationServesIstiosStockTemplates() throws Exception {
        ActiveConfig config = build("policy: enabled\n");
        assertTrue(
                config.templates().names().containsAll(List.of("sidecar", "gateway", "grpc-simple", "grpc-agent")),
                config.templates().names().toString());
    }

    /** The self-check refuses the configuration, naming the broken template 'extra'. */
    void failsOnTheExtraTemplate(String injectionConfig) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> build(injectionConfig));
        assertTrue(
                e.getMessage().startsWith("self-check: template 'extra' rendered something that is not a pod"),
                e.getMessage());
    }

    @Test
    void aBrokenTemplateThatNoPodGetsByDefaultFailsTheCheck() {
        failsOnTheExtraTemplate("templates:\n  extra: " + NOT_A_POD);
    }

    @Test
    void aBrokenDefaultTemplateFailsTheCheck() {
        failsOnTheExtraTemplate("defaultTemplates: [extra]\ntemplates:\n  extra: " + NOT_A_POD);
    }

    @Test
    void aDefaultTemplateThatDoesNotExistIsNamed() {
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> build("defaultTemplates: [absent]\n"));
        assertEquals("defaultTemplates names template 'absent', which does not exist", e.getMessage());
    }

    @Test
    void aGoTemplateThatIsNotStockIsNamedAndCannotBeADefault() throws Exception {
        ActiveConfig config = build("templates:\n  custom: |\n    spec: {{ .Values.x }}\n");
        assertEquals(List.of("custom"), config.templates().unsupportedGoTemplates());
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> build("defaultTemplates: [custom]\ntemplates:\n  custom: |\n    spec: {{ .Values.x }}\n"));
        assertTrue(e.getMessage().contains("'custom'") && e.getMessage().contains("Qute"), e.getMessage());
    }

    @Test
    void istiosStockGoTemplatesAreServedByTheBuiltInOnes() throws Exception {
        ActiveConfig config = build("templates:\n  sidecar: |\n    metadata: {{ .ObjectMeta.Name }}\n");
        assertEquals(List.of(), config.templates().unsupportedGoTemplates());
        assertTrue(config.templates().get("sidecar").isPresent());
    }
}
