package io.sidecarinjector.cli;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.reload.ActiveConfigHolder;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.GoldenFiles;
import io.sidecarinjector.testing.Reviews;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kube-inject's engine: golden workloads of every kind, idempotency, errors, and parity with the webhook. */
@QuarkusTest
class WorkloadInjectorTest {

    static final Path DIR = Path.of("src/test/resources/golden-kube-inject");

    @Inject
    ActiveConfigHolder holder;

    ActiveConfig snapshot() {
        return holder.current().orElseThrow();
    }

    static List<String> cases() {
        return GoldenFiles.cases(DIR);
    }

    static List<String> podCases() {
        return GoldenFiles.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void injectsEveryKindAsTheGoldenFileSays(String name) throws Exception {
        String input = Files.readString(DIR.resolve(name + GoldenFiles.IN));
        WorkloadInjector.Result result = WorkloadInjector.inject(name, input, snapshot(), Optional.empty());
        GoldenFiles.assertDocuments(DIR.resolve(name + GoldenFiles.OUT), result.yaml());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runningTwiceGivesTheOutputOfRunningOnce(String name) throws Exception {
        String once = WorkloadInjector.inject(
                        name, Files.readString(DIR.resolve(name + GoldenFiles.IN)), snapshot(), Optional.empty())
                .yaml();
        String twice = WorkloadInjector.inject(name, once, snapshot(), Optional.empty())
                .yaml();
        assertEquals(once, twice);
    }

    @Test
    void skippedTemplatesAndUnknownKindsAreReported() throws Exception {
        WorkloadInjector.Result multi = WorkloadInjector.inject(
                "m", Files.readString(DIR.resolve("multi-document" + GoldenFiles.IN)), snapshot(), Optional.empty());
        assertEquals(
                List.of("Deployment/legacy: skipped: pod annotation sidecar.istio.io/inject=false"), multi.notes());
        WorkloadInjector.Result unknown = WorkloadInjector.inject(
                "u",
                Files.readString(DIR.resolve("unknown-kind-with-template" + GoldenFiles.IN)),
                snapshot(),
                Optional.empty());
        assertEquals(1, unknown.notes().size());
        assertTrue(unknown.notes().get(0).contains("Rollout/canary")
                && unknown.notes().get(0).contains("left as it is"));
    }

    @Test
    void theNamespaceFlagDecidesTheIgnoredNamespaceRule() throws Exception {
        WorkloadInjector.Result result = WorkloadInjector.inject(
                "p", Files.readString(DIR.resolve("pod" + GoldenFiles.IN)), snapshot(), Optional.of("kube-system"));
        assertEquals(List.of("Pod/single: skipped: namespace kube-system is ignored"), result.notes());
        assertEquals(
                GoldenFiles.documents(Files.readString(DIR.resolve("pod" + GoldenFiles.IN))),
                GoldenFiles.documents(result.yaml()));
    }

    @Test
    void yamlThatDoesNotParseNamesTheDocumentAndTheLine() {
        CliException e = assertThrows(
                CliException.class,
                () -> WorkloadInjector.inject(
                        "app.yaml",
                        "kind: Service\n---\nkind: Pod\nmetadata:\n  name: [oops\n",
                        snapshot(),
                        Optional.empty()));
        assertTrue(e.getMessage().startsWith("app.yaml: document 2, line "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anInvalidAnnotationIsAnErrorNamingTheWorkload() {
        CliException e = assertThrows(
                CliException.class, () -> WorkloadInjector.inject("bad.yaml", """
                kind: Pod
                apiVersion: v1
                metadata:
                  name: bad
                  annotations:
                    status.sidecar.istio.io/port: "70000"
                spec:
                  containers: [{name: a, image: a}]
                """, snapshot(), Optional.empty()));
        assertTrue(e.getMessage().startsWith("Pod/bad: annotation status.sidecar.istio.io/port="), e.getMessage());
    }

    /** The webhook and kube-inject give the same pod for the same input and configuration. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("podCases")
    void kubeInjectAndTheWebhookGiveTheSamePod(String name) throws Exception {
        Pod input = GoldenFiles.input(name);
        String namespace = Reviews.namespaceOf(input);
        JsonNode review = Reviews.request("parity", namespace, input);
        JsonNode answer = Mappers.JSON.readTree(given().contentType("application/json")
                .body(review.toString())
                .post("/inject")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode fromWebhook = PodPatch.apply(Reviews.patch(answer), review.at("/request/object"));

        String yaml = Files.readString(GoldenFiles.DIR.resolve(name + GoldenFiles.IN));
        JsonNode fromCli = GoldenFiles.documents(WorkloadInjector.inject(name, yaml, snapshot(), Optional.of(namespace))
                        .yaml())
                .get(0);
        assertEquals(Mappers.YAML.readTree(Mappers.YAML.writeValueAsString(fromWebhook)), fromCli);
    }
}
