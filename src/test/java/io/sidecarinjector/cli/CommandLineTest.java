package io.sidecarinjector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.sidecarinjector.testing.GoldenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commands as a user runs them: arguments in, standard output, standard error and exit code out.
 * {@link CommandLineIT} runs the same against the packaged artifact.
 */
@QuarkusMainTest
class CommandLineTest {

    static final String WORKLOAD = "src/test/resources/golden-kube-inject/multi-document.in.yaml";
    static final Path INJECTED = Path.of("src/test/resources/golden-kube-inject/multi-document.out.yaml");

    @Test
    void kubeInjectWritesTheInjectedYamlToStandardOutput(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("kube-inject", "-f", WORKLOAD);
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(GoldenFiles.documents(Files.readString(INJECTED)), GoldenFiles.documents(result.getOutput()));
        assertTrue(result.getErrorOutput().contains("Deployment/legacy: skipped"), result.getErrorOutput());
    }

    @Test
    void kubeInjectWritesToAFileWithDashO(QuarkusMainLauncher launcher) throws Exception {
        Path out = Files.createTempFile("injected", ".yaml");
        LaunchResult result = launcher.launch("kube-inject", "-f", WORKLOAD, "-o", out.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(GoldenFiles.documents(Files.readString(INJECTED)), GoldenFiles.documents(Files.readString(out)));
        assertEquals("", result.getOutput().strip());
    }

    @Test
    @Launch(
            value = {"kube-inject", "-f", "/no/such/file.yaml"},
            exitCode = 1)
    void aMissingFileIsOneLineAndExitCode1(LaunchResult result) {
        assertEquals("error: /no/such/file.yaml: no such file", messages(result));
    }

    @Test
    @Launch(
            value = {"kube-inject", "-f", "src/test/resources/cli/broken.yaml"},
            exitCode = 1)
    void yamlThatDoesNotParseIsOneLineWithTheDocumentAndLine(LaunchResult result) {
        String error = messages(result);
        assertTrue(error.startsWith("error: src/test/resources/cli/broken.yaml: document 2, line "), error);
        assertEquals(1, error.lines().count(), error);
    }

    @Test
    @Launch(
            value = {"kube-inject", "-f", WORKLOAD, "--injectConfigFile", "/no/config.yaml"},
            exitCode = 1)
    void aMissingConfigFileIsAnError(LaunchResult result) {
        assertEquals("error: /no/config.yaml: no such file", messages(result));
    }

    @Test
    @Launch(
            value = {"kube-inject", "-f", WORKLOAD, "--meshConfigFile", "src/test/resources/cli/bad-mesh.yaml"},
            exitCode = 1)
    void anInvalidConfigFileIsAnError(LaunchResult result) {
        assertTrue(
                result.getErrorOutput().contains("invalid configuration: src/test/resources/cli/bad-mesh.yaml"),
                result.getErrorOutput());
    }

    @Test
    @Launch(value = {"kube-inject", "-f", WORKLOAD, "--injectConfigFile", "src/test/resources/cli/disabled.yaml"})
    void theConfigFileDecides(LaunchResult result) {
        assertTrue(
                result.getErrorOutput().contains("Deployment/web: skipped: policy disabled"), result.getErrorOutput());
        assertTrue(!result.getOutput().contains("istio-proxy"), "nothing injected");
    }

    @Test
    @Launch(
            value = {
                "kube-inject",
                "--filename",
                WORKLOAD,
                "--valuesFile",
                "src/test/resources/cli/values.json",
                "--revision",
                "canary"
            })
    void valuesAndRevisionShapeThePods(LaunchResult result) {
        String out = result.getOutput();
        assertTrue(out.contains("image: example.org/mesh/proxyv2:9.9.9"), out);
        assertTrue(out.contains("istio.io/rev: canary"), out);
        assertTrue(out.contains("\\\"revision\\\":\\\"canary\\\""), "the status annotation names the revision");
    }

    @Test
    @Launch(value = {"kube-inject", "-f", WORKLOAD, "--meshConfigFile", "src/test/resources/cli/mesh.yaml"})
    void theMeshConfigShapesThePods(LaunchResult result) {
        String out = result.getOutput();
        assertTrue(out.contains("value: mesh.example"), "TRUST_DOMAIN from the MeshConfig: " + out);
        assertTrue(out.contains("prometheus.io/port: \"15099\""), "metrics merged on the mesh's status port: " + out);
        assertTrue(out.contains("{\"statusPort\":15099}"), "the proxy is told its status port: " + out);
    }

    @Test
    @Launch(
            value = {"kube-inject", "-f", WORKLOAD, "--meshConfigFile", "src/test/resources/cli/misspelt-mesh.yaml"},
            exitCode = 1)
    void aMisspeltMeshConfigKeyIsNamedWithItsLine(LaunchResult result) {
        assertEquals(
                "error: invalid configuration: src/test/resources/cli/misspelt-mesh.yaml:3: unknown key "
                        + "'defaultConfig.holdApplicationUntilProxyStart': ProxyConfig has no field of that name",
                messages(result));
    }

    @Test
    @Launch(
            value = {
                "check-config",
                "--meshConfigFile",
                "src/test/resources/cli/mesh-with-unused.yaml",
                "--valuesFile",
                "src/test/resources/cli/values-with-unused.json"
            })
    void checkConfigSaysWhatTakesEffectAndWhatIsOnlyAccepted(LaunchResult result) {
        List<String> lines = result.getOutput().lines().toList();
        assertTrue(lines.contains("  trustDomain: takes effect"), result.getOutput());
        assertTrue(lines.contains("  accessLogFile: accepted; read by istiod, not by injection"), result.getOutput());
        assertTrue(
                lines.contains("  defaultConfig.concurrency: takes effect (PROXY_CONFIG, read by the proxy)"),
                result.getOutput());
        assertTrue(lines.contains("  global.hub: takes effect"), result.getOutput());
        assertTrue(lines.contains("  global.waypoint.replicas: accepted; no template reads it"), result.getOutput());
        assertTrue(lines.contains("  global.proxy.resources.requests.cpu: takes effect"), result.getOutput());
    }

    @Test
    @Launch(
            value = {"check-config", "--meshConfigFile", "src/test/resources/cli/misspelt-mesh.yaml"},
            exitCode = 1)
    void checkConfigRefusesWhatTheServiceRefuses(LaunchResult result) {
        assertTrue(
                messages(result).contains("unknown key 'defaultConfig.holdApplicationUntilProxyStart'"),
                messages(result));
    }

    @Test
    @Launch(value = {"kube-inject", "-f", WORKLOAD, "--show-iptables"})
    void showIptablesPrintsTheRulesToStandardError(LaunchResult result) {
        assertTrue(
                result.getErrorOutput().contains("Deployment/web:\n  # iptables -t nat -S"), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001"));
    }

    @Test
    @Launch(value = {"check-inject", "-f", WORKLOAD, "--namespace-labels", "istio-injection=enabled,team=web"})
    void checkInjectSaysWhatWouldHappenAndWhy(LaunchResult result) {
        String out = result.getOutput();
        assertTrue(out.contains("Deployment/web (namespace demo):\n  webhook: called"), out);
        assertTrue(out.contains("  decision: injected (policy_enabled)"), out);
        assertTrue(out.contains("Deployment/legacy (namespace demo):\n  webhook: called"), out);
        assertTrue(
                out.contains("decision: skipped: pod annotation sidecar.istio.io/inject=false (explicitly_disabled)"),
                out);
    }

    @Test
    @Launch(value = {"check-inject", "-f", WORKLOAD, "--namespace-labels", "other=x"})
    void checkInjectExitsZeroWhenNothingWouldBeInjected(LaunchResult result) {
        assertTrue(result.getOutput().contains("webhook: not called: neither the namespace"), result.getOutput());
    }

    /**
     * Standard error without log lines: the integration-test launcher runs the artifact with its own logging
     * settings, so the start-up log may come before the command's message.
     */
    static String messages(LaunchResult result) {
        return result.getErrorOutput()
                .lines()
                .filter(l -> !l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:.*"))
                .collect(java.util.stream.Collectors.joining("\n"))
                .strip();
    }

    @Test
    @Launch(value = {"--help"})
    void helpListsTheCommands(LaunchResult result) {
        assertTrue(
                result.getOutput().contains("kube-inject") && result.getOutput().contains("check-inject"));
    }
}
