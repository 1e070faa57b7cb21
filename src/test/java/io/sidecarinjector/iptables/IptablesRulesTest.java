package io.sidecarinjector.iptables;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.cli.InjectionCheck;
import io.sidecarinjector.reload.ActiveConfigHolder;
import io.sidecarinjector.testing.GoldenFiles;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The traffic rules shown by check-inject, for the defaults and each capture annotation, derived from the init
 * container the pod is injected with.
 */
@QuarkusTest
class IptablesRulesTest {

    static final Path DIR = Path.of("src/test/resources/golden-iptables");

    @Inject
    ActiveConfigHolder holder;

    static List<String> cases() {
        return GoldenFiles.cases(DIR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rulesAsTheGoldenFileSays(String name) throws Exception {
        List<String> lines = InjectionCheck.check(
                name,
                Files.readString(DIR.resolve(name + GoldenFiles.IN)),
                holder.current().orElseThrow(),
                Optional.empty(),
                Optional.empty());
        GoldenFiles.assertText(DIR.resolve(name + ".rules"), String.join("\n", lines) + "\n");
    }

    @Test
    void aContainerThatDoesNotRunIstioIptablesHasNoRules() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CaptureSettings.fromInitContainer(new ContainerBuilder()
                        .withName("other")
                        .withArgs("sh", "-c", "true")
                        .build()));
    }
}
