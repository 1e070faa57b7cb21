package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.testing.GoldenFiles;
import io.sidecarinjector.testing.Reviews;

/**
 * Every golden case: the injected pod, a patch that yields it, and a second injection that changes nothing.
 * {@code golden/} uses the built-in configuration, {@code golden-custom/} the one in its {@code config/} folder.
 */
@QuarkusTest
class GoldenInjectionTest {

    @Inject
    SnapshotHolder holder;

    @Inject
    Engine engine;

    static Stream<Arguments> cases() {
        return Stream.concat(
                GoldenFiles.cases().stream().map(c -> Arguments.of(GoldenFiles.DIR, c)),
                GoldenFiles.cases(GoldenFiles.CUSTOM_DIR).stream().map(c -> Arguments.of(GoldenFiles.CUSTOM_DIR, c)));
    }

    InjectorSnapshot snapshotFor(Path dir) throws Exception {
        if (dir.equals(GoldenFiles.DIR)) {
            return holder.current().orElseThrow();
        }
        return SnapshotFactory.build(engine, ConfigFiles.read(Optional.of(dir.resolve("config/injection.yaml")),
                Optional.of(dir.resolve("config/mesh.yaml"))).load());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void injectsAsTheGoldenFileSays(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        InjectionResult result = Injector.inject(input, Reviews.namespaceOf(input), snapshotFor(dir));
        assertTrue(result.decision().inject(), result.decision().summary());
        assertEquals(java.util.List.of(), result.warnings());
        GoldenFiles.assertMatches(GoldenFiles.injected(dir, name), PodPatch.tree(result.pod()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void patchAppliedToTheInputYieldsTheInjectedPod(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        Pod injected = Injector.inject(input, Reviews.namespaceOf(input), snapshotFor(dir)).pod();
        JsonNode patch = PodPatch.diff(input, injected);
        assertEquals(PodPatch.tree(injected), PodPatch.apply(patch, PodPatch.tree(input)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void injectingTwiceEqualsInjectingOnce(Path dir, String name) throws Exception {
        Pod input = GoldenFiles.input(dir, name);
        InjectorSnapshot snapshot = snapshotFor(dir);
        Pod once = Injector.inject(input, Reviews.namespaceOf(input), snapshot).pod();
        Pod twice = Injector.inject(once, Reviews.namespaceOf(input), snapshot).pod();
        assertEquals(PodPatch.tree(once), PodPatch.tree(twice));
        assertEquals(0, PodPatch.diff(once, twice).size(), "re-injection must produce an empty patch");
    }
}
