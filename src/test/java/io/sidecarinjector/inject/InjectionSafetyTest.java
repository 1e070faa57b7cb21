package io.sidecarinjector.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.reload.ActiveConfigHolder;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values that come from the pod reach the output only as data: a hostile value is either rejected with a message
 * that names where it came from, or lands verbatim in the fields it is meant for and changes nothing else.
 */
@QuarkusTest
class InjectionSafetyTest {

    static final List<String> HOSTILE = List.of(
            "x\nprivileged: true",
            "x\n  - name: evil\n    image: evil/evil",
            "\"quoted\": \"value\"",
            "a: b",
            "{{ .Values.global.hub }}",
            "{v.proxyImage}",
            "{#for i in v.appContainers}{i}{/for}",
            "${HOME}",
            "{\"privileged\":true}",
            "[\"--privileged\"]",
            "- item",
            "--- \nkind: Secret",
            "&anchor *alias",
            "!!binary aGVsbG8=",
            "# comment",
            "x\r\ny: z\ttab 'single'",
            "\\u0000 \\n not an escape",
            "x".repeat(100 * 1024));

    /**
     * Where a value is put in the pod, and the JSON pointers (in the injected pod) where it must land verbatim.
     */
    record Target(
            String name, String benign, BiFunction<Pod, String, Pod> place, Function<JsonNode, List<String>> landing) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pod base() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("safe")
                .withNamespace("demo")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .endContainer()
                .endSpec()
                .build();
    }

    static BiFunction<Pod, String, Pod> annotation(String key) {
        return (pod, value) -> new PodBuilder(pod)
                .editMetadata()
                .addToAnnotations(key, value)
                .endMetadata()
                .build();
    }

    static BiFunction<Pod, String, Pod> label(String key) {
        return (pod, value) -> new PodBuilder(pod)
                .editMetadata()
                .addToLabels(key, value)
                .endMetadata()
                .build();
    }

    static String env(JsonNode pod, String name) {
        JsonNode env = pod.at("/spec/containers/1/env");
        for (int i = 0; i < env.size(); i++) {
            if (name.equals(env.get(i).path("name").asText())) {
                return "/spec/containers/1/env/" + i + "/value";
            }
        }
        throw new AssertionError("no env " + name);
    }

    static List<Target> targets() {
        return List.of(
                new Target(
                        "annotation sidecar.istio.io/proxyImage",
                        "example/proxy:1",
                        annotation("sidecar.istio.io/proxyImage"),
                        pod -> List.of("/spec/containers/1/image")),
                new Target(
                        "annotation sidecar.istio.io/logLevel",
                        "debug",
                        annotation("sidecar.istio.io/logLevel"),
                        pod -> List.of("/spec/containers/1/args/5")),
                new Target(
                        "annotation proxy.istio.io/config",
                        "{}",
                        annotation("proxy.istio.io/config"),
                        pod -> List.of()),
                new Target(
                        "annotation sidecar.istio.io/userVolume",
                        "{}",
                        annotation("sidecar.istio.io/userVolume"),
                        pod -> List.of()),
                new Target(
                        "annotation traffic.sidecar.istio.io/excludeOutboundPorts",
                        "5432",
                        annotation("traffic.sidecar.istio.io/excludeOutboundPorts"),
                        pod -> List.of()),
                new Target(
                        "annotation inject.istio.io/templates",
                        "sidecar",
                        annotation("inject.istio.io/templates"),
                        pod -> List.of()),
                new Target("annotation of the user's own", "benign", annotation("example.com/notes"), pod -> List.of()),
                new Target(
                        "label app",
                        "benign",
                        label("app"),
                        pod -> List.of("/metadata/labels/service.istio.io~1canonical-name")),
                new Target(
                        "label version",
                        "benign",
                        label("version"),
                        pod -> List.of("/metadata/labels/service.istio.io~1canonical-revision")),
                new Target(
                        "pod name",
                        "benign",
                        (pod, value) -> new PodBuilder(pod)
                                .editMetadata()
                                .withName(value)
                                .endMetadata()
                                .build(),
                        pod -> List.of(
                                env(pod, "ISTIO_META_WORKLOAD_NAME"),
                                env(pod, "ISTIO_META_OWNER"),
                                "/metadata/labels/service.istio.io~1canonical-name")),
                new Target(
                        "container name",
                        "benign",
                        (pod, value) -> new PodBuilder(pod)
                                .editSpec()
                                .editFirstContainer()
                                .withName(value)
                                .endContainer()
                                .endSpec()
                                .build(),
                        pod -> List.of(
                                env(pod, "ISTIO_META_APP_CONTAINERS"),
                                "/metadata/annotations/kubectl.kubernetes.io~1default-container",
                                "/metadata/annotations/kubectl.kubernetes.io~1default-logs-container")));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Target target : targets()) {
            for (int i = 0; i < HOSTILE.size(); i++) {
                cases.add(Arguments.of(target, i, HOSTILE.get(i)));
            }
        }
        return cases.stream();
    }

    @Inject
    ActiveConfigHolder holder;

    @ParameterizedTest(name = "{0}, hostile value #{1}")
    @MethodSource("cases")
    void aHostileValueIsRejectedOrLandsVerbatimInItsFieldOnly(Target target, int index, String hostile) {
        ActiveConfig snapshot = holder.current().orElseThrow();
        Pod benignInput = target.place().apply(base(), target.benign());
        Pod hostileInput = target.place().apply(base(), hostile);
        JsonNode benign =
                PodPatch.tree(Injector.inject(benignInput, "demo", snapshot).pod());
        JsonNode injected;
        try {
            injected = PodPatch.tree(
                    Injector.inject(hostileInput, "demo", snapshot).pod());
        } catch (PodRejectedException e) {
            assertTrue(
                    target.name().startsWith("annotation ")
                            && e.getMessage().contains(target.name().substring(11)),
                    "a rejection names the annotation: " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "a rejection is one line");
            return;
        }
        Set<String> allowed = new HashSet<>(target.landing().apply(benign));
        for (String pointer : target.landing().apply(benign)) {
            String expected = pointer.endsWith(CANONICAL_NAME)
                    ? canonicalName(hostile)
                    : pointer.equals(env(benign, "ISTIO_META_OWNER"))
                            ? "kubernetes://apis/v1/namespaces/demo/pods/" + hostile
                            : hostile;
            assertEquals(expected, injected.at(pointer).asText(), "lands verbatim at " + pointer);
        }
        // everything else is exactly as for a benign value, apart from where the value was put by the test
        JsonNode benignSource = PodPatch.tree(benignInput);
        JsonNode hostileSource = PodPatch.tree(hostileInput);
        // field by field (the webhook's patch replaces a list of named things whole when a name changes)
        for (JsonNode op : io.fabric8.zjsonpatch.JsonDiff.asJson(benignSource, hostileSource)) {
            allowed.add(op.get("path").asText());
        }
        for (JsonNode op : io.fabric8.zjsonpatch.JsonDiff.asJson(benign, injected)) {
            assertTrue(
                    allowed.contains(op.get("path").asText()),
                    "unexpected change " + op.get("op") + " " + op.get("path") + " (allowed: " + allowed + ")");
        }
        assertEquals(
                benign.at("/spec/initContainers"), injected.at("/spec/initContainers"), "init containers unchanged");
        assertEquals(
                benign.at("/spec/containers").size(),
                injected.at("/spec/containers").size(),
                "no extra container");
        assertEquals(benign.at("/spec/volumes"), injected.at("/spec/volumes"), "volumes unchanged");
    }

    static final String CANONICAL_NAME = "service.istio.io~1canonical-name";

    /** As Istio writes the canonical-name label: at most 63 characters, no trailing '-'. */
    static String canonicalName(String value) {
        String name = value.length() > 63 ? value.substring(0, 63) : value;
        while (name.endsWith("-")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    static Pod fromTree(JsonNode tree) {
        try {
            return io.sidecarinjector.support.Mappers.JSON.treeToValue(tree, Pod.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
