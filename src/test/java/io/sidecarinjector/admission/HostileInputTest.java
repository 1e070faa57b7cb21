package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.RawHttp;
import io.sidecarinjector.testing.Reviews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus ({@code native-tests/hostile/<status>-<name>.json}, plus generated bodies too big to
 * keep in files, plus {@code null} in every position of a good request): each answered within a second with a
 * 4xx and a one-line message, or a well-formed AdmissionReview whose patch applies; no stack trace ever; and a
 * good request served right after. {@link HostileInputIT} runs it against the packaged artifact.
 */
@QuarkusTest
class HostileInputTest {

    static final Path CORPUS = Path.of("native-tests/hostile");
    static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Case(String name, byte[] body, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                cases.add(new Case(name, Files.readAllBytes(file), Integer.parseInt(name.substring(0, 3))));
            }
        }
        cases.add(new Case(
                "generated: 10,000 levels of nesting",
                ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII),
                400));
        cases.add(new Case(
                "generated: 10,000 levels of nested objects in a pod",
                nestedInPod(10_000).getBytes(StandardCharsets.US_ASCII),
                400));
        cases.add(new Case("generated: 10 MB of whitespace", whitespace(10 * 1024 * 1024), 413));
        cases.add(new Case("generated: a pod with 1,000 containers", manyContainers(1000), 200));
        cases.add(new Case("generated: an annotation of 1 MiB", bigAnnotation(1024 * 1024), 200));
        for (String pointer : allPointers(good(), "")) {
            ObjectNode review = good();
            JsonNode parent = review.at(pointer.substring(0, pointer.lastIndexOf('/')));
            String last = pointer.substring(pointer.lastIndexOf('/') + 1);
            if (parent instanceof ObjectNode object) {
                object.putNull(last);
            } else if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), Mappers.JSON.getNodeFactory().nullNode());
            }
            cases.add(
                    new Case("generated: null at " + pointer, review.toString().getBytes(StandardCharsets.UTF_8), 0));
        }
        return cases.stream().map(c -> Arguments.of(c));
    }

    static ObjectNode good() {
        try {
            return (ObjectNode)
                    Mappers.JSON.readTree(Files.readString(Path.of("kubernetes/examples/admission-review.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> allPointers(JsonNode node, String at) {
        List<String> pointers = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = at + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                pointers.add(child);
                pointers.addAll(allPointers(field.getValue(), child));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                pointers.add(at + "/" + i);
                pointers.addAll(allPointers(array.get(i), at + "/" + i));
            }
        }
        return pointers;
    }

    static String nestedInPod(int depth) {
        ObjectNode review = good();
        String text = review.toString();
        return text.replace(
                "\"serviceAccountName\":\"httpbin\"",
                "\"serviceAccountName\":\"httpbin\",\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    static byte[] whitespace(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        return body;
    }

    static byte[] manyContainers(int count) {
        ObjectNode review = good();
        ArrayNode containers = (ArrayNode) review.at("/request/object/spec/containers");
        JsonNode first = containers.get(0);
        for (int i = 1; i < count; i++) {
            ObjectNode copy = first.deepCopy();
            copy.put("name", "c" + i);
            containers.add(copy);
        }
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bigAnnotation(int size) {
        ObjectNode review = good();
        ((ObjectNode) review.at("/request/object/metadata"))
                .putObject("annotations")
                .put("example.com/big", "x".repeat(size));
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answeredWithin1sWithA4xxOrAWellFormedReviewAndTheNextRequestIsServed(Case c) throws Exception {
        long start = System.nanoTime();
        int status;
        String body;
        if (c.body().length > 4 * 1024 * 1024) {
            // as a careful client sends it: the server may refuse it before it is sent
            RawHttp.Answer answer = RawHttp.postExpectingContinue(RestAssured.port, "/inject", c.body());
            status = answer.status();
            body = answer.body();
        } else {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/inject"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()))
                    .build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, "answered in " + millis + " ms");
        assertFalse(
                body.contains("Exception") || body.contains("\tat ") || body.contains("at io."),
                "no stack trace: " + body);
        if (c.status() != 0) {
            assertEquals(c.status(), status, body);
        }
        if (status == 200) {
            assertWellFormed(c.body(), Mappers.JSON.readTree(body));
        } else {
            assertTrue(status >= 400 && status < 500, "a 4xx: " + status);
            assertTrue(body.strip().lines().count() <= 1, "one line: " + body);
        }
        InjectEndpointTest.assertGoodRequestServed();
    }

    static void assertWellFormed(byte[] requestBody, JsonNode answer) throws IOException {
        JsonNode request = Mappers.JSON.readTree(requestBody);
        assertEquals(
                request.path("apiVersion").asText(), answer.path("apiVersion").asText());
        assertEquals("AdmissionReview", answer.path("kind").asText());
        assertEquals(
                request.at("/request/uid").asText(), answer.at("/response/uid").asText());
        assertNotNull(answer.at("/response/allowed").isBoolean() ? answer : null, "allowed is a boolean");
        JsonNode patch = Reviews.patch(answer);
        if (patch != null) {
            // applied to the pod's JSON as it was sent, as the API server applies it
            PodPatch.apply(patch, request.at("/request/object"));
        }
    }

    /** Pods that the Kubernetes schema refuses (a value of the wrong type), and the start of the answer to each. */
    static Stream<Arguments> schemaInvalid() {
        return Stream.of(
                Arguments.of(
                        "400-annotation-value-a-number.json",
                        "request.object.metadata.annotations[\"sidecar.istio.io/proxyCPU\"]: expected a string, got a number (2)"),
                Arguments.of(
                        "400-annotation-value-an-object.json",
                        "request.object.metadata.annotations[\"sidecar.istio.io/inject\"]: expected a string, got an object"),
                Arguments.of(
                        "400-annotation-value-a-list.json",
                        "request.object.metadata.annotations[\"traffic.sidecar.istio.io/excludeOutboundPorts\"]: expected a string, got a list"),
                Arguments.of(
                        "400-label-value-a-boolean.json",
                        "request.object.metadata.labels[\"sidecar.istio.io/inject\"]: expected a string, got a boolean (true)"),
                Arguments.of(
                        "400-label-value-a-number.json",
                        "request.object.metadata.labels[\"version\"]: expected a string, got a number (2)"),
                Arguments.of(
                        "400-pod-name-a-number.json",
                        "request.object.metadata.name: expected a string, got a number (5)"),
                Arguments.of(
                        "400-host-network-a-string.json",
                        "request.object.spec.hostNetwork: expected a boolean, got a string (\"true\")"),
                Arguments.of(
                        "400-container-image-a-number.json",
                        "request.object.spec.containers[0].image: expected a string, got a number (1)"),
                Arguments.of(
                        "400-container-port-a-string.json",
                        "request.object.spec.containers[0].ports[0].containerPort: expected an integer, got a string (\"8080\")"),
                Arguments.of(
                        "400-container-port-a-fraction.json",
                        "request.object.spec.containers[0].ports[0].containerPort: expected an integer, got a number (8080.5)"),
                Arguments.of(
                        "400-security-context-a-string.json",
                        "request.object.spec.securityContext: expected an object, got a string (\"privileged\")"),
                Arguments.of(
                        "400-request-namespace-a-number.json",
                        "request.namespace: expected a string, got a number (7)"),
                Arguments.of("400-operation-a-list.json", "request.operation: expected a string, got a list"),
                Arguments.of(
                        "400-ports-a-string.json",
                        "request.object.spec.containers[0].ports: expected a list, got a string (\"8080\")"),
                Arguments.of(
                        "400-labels-an-array.json", "request.object.metadata.labels: expected an object, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaInvalid")
    void aSchemaInvalidPodIsA400NamingTheField(String file, String message) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/inject"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(CORPUS.resolve(file))))
                .build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(message, response.body().strip());
    }
}
