package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.admission.AdmissionReviewReader;
import io.sidecarinjector.admission.PodAdmissionRequest;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.GoldenFiles;
import io.sidecarinjector.testing.Reviews;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden case: the injected pod, a patch that yields it, and a second injection that changes nothing.
 * Each folder is injected with the configuration in its {@code config/} folder (the defaults where it has none).
 */
@QuarkusTest
class GoldenInjectionTest {

    @Inject
    Engine engine;

    private final Map<Path, ActiveConfig> configs = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return GoldenFiles.POD_DIRS.stream()
                .flatMap(dir -> GoldenFiles.cases(dir).stream().map(c -> Arguments.of(dir, c)));
    }

    ActiveConfig snapshotFor(Path dir) {
        return configs.computeIfAbsent(dir, d -> GoldenFiles.config(engine, d));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void injectsAsTheGoldenFileSays(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        InjectionResult result = Injector.inject(input, Reviews.namespaceOf(input), snapshotFor(dir));
        assertTrue(result.decision().inject(), result.decision().summary());
        assertEquals(java.util.List.of(), result.warnings());
        GoldenFiles.assertMatches(GoldenFiles.injected(dir, name), PodPatch.tree(result.pod()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void patchAppliedToTheInputYieldsTheInjectedPod(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        InjectionResult result = Injector.inject(input, Reviews.namespaceOf(input), snapshotFor(dir));
        // as the webhook computes it: from the trees the pipeline worked on
        JsonNode patch = PodPatch.diff(result.submitted(), result.injected());
        assertEquals(PodPatch.tree(result.pod()), PodPatch.apply(patch, PodPatch.tree(input)));
    }

    /**
     * The webhook's path: the pod as the API server sends it (its Go serialisation writes a null creation time, an
     * empty status and empty resources; the JSON's integers read as ints where the model holds longs) is read
     * from the review's bytes; the patch is computed against that JSON. Applied to it, the patch gives the injected
     * pod, leaves what injection does not change as it came, and replaces no value with an equal one.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void patchOfThePodAsTheApiServerSendsItYieldsTheInjectedPod(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        ObjectNode sent = Mappers.JSON.valueToTree(input);
        ((ObjectNode) sent.get("metadata")).putNull("creationTimestamp");
        sent.putObject("status");
        for (JsonNode container : sent.path("spec").path("containers")) {
            if (!container.has("resources")) {
                ((ObjectNode) container).putObject("resources");
            }
        }
        ObjectNode review = Reviews.request("golden", Reviews.namespaceOf(input), input);
        ((ObjectNode) review.get("request")).set("object", sent);
        PodAdmissionRequest request = AdmissionReviewReader.read(Mappers.JSON.writeValueAsBytes(review));

        InjectionResult result =
                Injector.inject(request.pod(), request.submitted(), request.namespace(), null, snapshotFor(dir));
        JsonNode patch = PodPatch.diff(result.submitted(), result.injected());
        JsonNode patched = PodPatch.apply(patch, Mappers.JSON.readTree(Mappers.JSON.writeValueAsBytes(sent)));

        assertEquals(PodPatch.tree(result.pod()), PodPatch.tree(Mappers.JSON.treeToValue(patched, Pod.class)));
        assertTrue(patched.path("metadata").get("creationTimestamp").isNull());
        assertEquals(Mappers.JSON.createObjectNode(), patched.get("status"));
        for (JsonNode op : patch) {
            if (op.get("op").asText().equals("replace")) {
                JsonNode before = sent.at(op.get("path").asText());
                assertNotEquals(before.toString(), op.get("value").toString(), "a value replaced by itself: " + op);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void injectingTwiceEqualsInjectingOnce(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        ActiveConfig snapshot = snapshotFor(dir);
        Pod once = Injector.inject(input, Reviews.namespaceOf(input), snapshot).pod();
        InjectionResult twice = Injector.inject(once, Reviews.namespaceOf(input), snapshot);
        assertEquals(PodPatch.tree(once), PodPatch.tree(twice.pod()));
        assertEquals(
                0,
                PodPatch.diff(twice.submitted(), twice.injected()).size(),
                "re-injection must produce an empty patch");
    }
}
