package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.config.ConfigDocuments;
import io.sidecarinjector.config.InvalidConfigException;

/** The self-check that a configuration passes before it serves: every template, default or not, is rendered. */
@QuarkusTest
class SnapshotFactoryTest {

    /** Renders YAML that is not a pod: containers must be a list. */
    static final String NOT_A_POD = "|\n    spec:\n      containers: 5\n";

    @Inject
    Engine engine;

    InjectorSnapshot build(String injectionConfig) throws InvalidConfigException {
        return SnapshotFactory.build(engine, ConfigDocuments.load(
                Optional.of(new ConfigDocuments.Document("test config", injectionConfig)), Optional.empty()));
    }

    @Test
    void theBuiltInConfigurationPasses() throws Exception {
        InjectorSnapshot snapshot = build("policy: enabled\n");
        assertTrue(snapshot.templates().names().containsAll(java.util.List.of("sidecar", "sidecar-cni")),
                snapshot.templates().names().toString());
    }

    /** The self-check refuses the configuration, naming the broken template 'extra'. */
    void failsOnTheExtraTemplate(String injectionConfig) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> build(injectionConfig));
        assertTrue(e.getMessage().startsWith("self-check: template 'extra' rendered something that is not a pod"),
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
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> build("defaultTemplates: [absent]\n"));
        assertEquals("defaultTemplates names unknown template 'absent'", e.getMessage());
    }
}
