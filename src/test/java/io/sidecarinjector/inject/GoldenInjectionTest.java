package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.testing.GoldenFiles;
import io.sidecarinjector.testing.Reviews;

/** Every golden case: the injected pod, a patch that yields it, and a second injection that changes nothing. */
@QuarkusTest
class GoldenInjectionTest {

    @Inject
    SnapshotHolder holder;

    static List<String> cases() {
        return GoldenFiles.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void injectsAsTheGoldenFileSays(String name) {
        Pod input = GoldenFiles.input(name);
        InjectionResult result = Injector.inject(input, Reviews.namespaceOf(input), holder.current().orElseThrow());
        assertTrue(result.decision().inject(), result.decision().summary());
        GoldenFiles.assertMatches(GoldenFiles.injected(name), PodPatch.tree(result.pod()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchAppliedToTheInputYieldsTheInjectedPod(String name) {
        Pod input = GoldenFiles.input(name);
        Pod injected = Injector.inject(input, Reviews.namespaceOf(input), holder.current().orElseThrow()).pod();
        JsonNode patch = PodPatch.diff(input, injected);
        assertEquals(PodPatch.tree(injected), PodPatch.apply(patch, PodPatch.tree(input)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void injectingTwiceEqualsInjectingOnce(String name) {
        Pod input = GoldenFiles.input(name);
        InjectorSnapshot snapshot = holder.current().orElseThrow();
        Pod once = Injector.inject(input, Reviews.namespaceOf(input), snapshot).pod();
        Pod twice = Injector.inject(once, Reviews.namespaceOf(input), snapshot).pod();
        assertEquals(PodPatch.tree(once), PodPatch.tree(twice));
        assertEquals(0, PodPatch.diff(once, twice).size(), "re-injection must produce an empty patch");
    }
}
