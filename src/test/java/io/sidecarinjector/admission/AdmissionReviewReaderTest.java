package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.support.Mappers;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The token pass keeps the right fields and locates the pod exactly, whatever the spacing and escapes. */
class AdmissionReviewReaderTest {

    private static final String POD = "{ \"kind\" : \"Pod\", \"apiVersion\":\"v1\",\n \"metadata\": {\"generateName\": "
            + "\"web-\\u00e9-\", \"labels\": {\"a\\\"b\": \"c}d{\"}, \"namespace\": \"from-pod\"},"
            + " \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"example/app:1\"}]} }";

    private static byte[] review(String requestFields) {
        return ("{\"apiVersion\": \"admission.k8s.io/v1\", \"request\": {" + requestFields
                        + "}, \"kind\": \"AdmissionReview\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void thePodIsLocatedByteForByteAndItsNameAndNamespaceAreKept() throws Exception {
        ReviewEnvelope envelope =
                AdmissionReviewReader.scan(review("\"uid\": \"u-1\", \"object\": " + POD + ", \"oldObject\": null"));
        assertEquals(
                POD,
                new String(envelope.body(), envelope.objectOffset(), envelope.objectLength(), StandardCharsets.UTF_8));
        assertEquals("u-1", envelope.uid());
        assertEquals("web-\u00e9-", envelope.podName());
        assertEquals("from-pod", envelope.namespace(), "no namespace in the request: the pod's");
        assertEquals("CREATE", envelope.operation());
        Pod pod = envelope.bind().pod();
        assertEquals("c}d{", pod.getMetadata().getLabels().get("a\"b"));
        assertEquals("example/app:1", pod.getSpec().getContainers().get(0).getImage());
    }

    /**
     * The pod's JSON is kept as it was sent, forms the model would drop included (a null, an empty list, an int
     * where the model holds a long): the patch is computed against it, and the API server applies it to that JSON.
     */
    @Test
    void thePodsJsonIsKeptAsSentBesideTheModel() throws Exception {
        String sent = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"creationTimestamp\":null},"
                + "\"spec\":{\"initContainers\":[],\"containers\":[{\"name\":\"app\","
                + "\"securityContext\":{\"runAsUser\":1000}}]},\"status\":{}}";
        PodAdmissionRequest request = AdmissionReviewReader.read(review("\"uid\": \"u-1\", \"object\": " + sent));
        assertEquals(Mappers.JSON.readTree(sent), request.submitted());
        assertEquals(
                1000L,
                request.pod()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getSecurityContext()
                        .getRunAsUser());
        assertNotEquals(
                Mappers.JSON.readTree(sent), Mappers.JSON.valueToTree(request.pod()), "the model's form differs");
    }

    @Test
    void theRequestsNamespaceWinsOverThePods() throws Exception {
        ReviewEnvelope envelope = AdmissionReviewReader.scan(review(
                "\"object\": " + POD + ", \"namespace\": \"demo\", \"uid\": \"u-2\", \"operation\": \"UPDATE\""));
        assertEquals("demo", envelope.namespace());
        assertEquals("UPDATE", envelope.operation());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\"}} , \"x\": 1 }} trailing",
                "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", \"kind\": \"Pod\"}",
                "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}"
            })
    void everyByteIsChecked(String requestFields) {
        InvalidAdmissionReviewException e = assertThrows(
                InvalidAdmissionReviewException.class, () -> AdmissionReviewReader.scan(review(requestFields)));
        assertTrue(e.getMessage().startsWith("body is not valid JSON"), e.getMessage());
    }

    @Test
    void aSecondDocumentIsAnError() {
        byte[] one = review("\"uid\": \"u\", \"object\": " + POD);
        byte[] two = (new String(one, StandardCharsets.UTF_8) + "\n{}").getBytes(StandardCharsets.UTF_8);
        InvalidAdmissionReviewException e =
                assertThrows(InvalidAdmissionReviewException.class, () -> AdmissionReviewReader.scan(two));
        assertTrue(e.getMessage().contains("after the AdmissionReview"), e.getMessage());
    }

    static Stream<Arguments> schemaInvalidPods() {
        return Stream.of(
                Arguments.of(
                        "\"metadata\": {\"annotations\": {\"x\": 5}}",
                        "request.object.metadata.annotations[\"x\"]: expected a string, got a number (5)"),
                Arguments.of(
                        "\"metadata\": {\"annotations\": {\"sidecar.istio.io/inject\": {\"a\": 1}}}",
                        "request.object.metadata.annotations[\"sidecar.istio.io/inject\"]: expected a string, got an object"),
                Arguments.of(
                        "\"metadata\": {\"labels\": {\"app\": true}}",
                        "request.object.metadata.labels[\"app\"]: expected a string, got a boolean (true)"),
                Arguments.of(
                        "\"spec\": {\"hostNetwork\": \"true\", \"containers\": []}",
                        "request.object.spec.hostNetwork: expected a boolean, got a string (\"true\")"),
                Arguments.of(
                        "\"spec\": {\"containers\": \"app\"}",
                        "request.object.spec.containers: expected a list, got a string (\"app\")"),
                Arguments.of(
                        "\"spec\": {\"containers\": [{\"name\": \"a\", \"image\": 7}]}",
                        "request.object.spec.containers[0].image: expected a string, got a number (7)"),
                Arguments.of(
                        "\"spec\": {\"containers\": [{\"name\": \"a\", \"ports\": [{\"containerPort\": \"80\"}]}]}",
                        "request.object.spec.containers[0].ports[0].containerPort: expected an integer, got a string (\"80\")"),
                Arguments.of(
                        "\"spec\": {\"containers\": [{\"name\": \"a\", \"ports\": [{\"containerPort\": 80.5}]}]}",
                        "request.object.spec.containers[0].ports[0].containerPort: expected an integer, got a number (80.5)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("schemaInvalidPods")
    void aValueOfTheWrongTypeIsRefusedWithItsPath(String podFields, String message) {
        byte[] body = review("\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", " + podFields + "}");
        InvalidAdmissionReviewException e =
                assertThrows(InvalidAdmissionReviewException.class, () -> AdmissionReviewReader.read(body));
        assertEquals(message, e.getMessage());
        assertNotNull(e.getCause(), "the reader's error is kept as the cause");
    }

    @Test
    void aPodNameOfTheWrongTypeIsRefusedWithItsPath() {
        InvalidAdmissionReviewException e = assertThrows(
                InvalidAdmissionReviewException.class,
                () -> AdmissionReviewReader.scan(
                        review("\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", " + "\"metadata\": {\"name\": 5}}")));
        assertEquals("request.object.metadata.name: expected a string, got a number (5)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"namespace\": 5", "\"operation\": [\"CREATE\"]"})
    void aRequestFieldOfTheWrongTypeIsRefusedWithItsPath(String requestField) {
        byte[] body = review("\"uid\": \"u\", \"object\": " + POD + ", " + requestField);
        InvalidAdmissionReviewException e =
                assertThrows(InvalidAdmissionReviewException.class, () -> AdmissionReviewReader.scan(body));
        String field = requestField.substring(1, requestField.indexOf('"', 1));
        assertTrue(e.getMessage().startsWith("request." + field + ": expected a string, got "), e.getMessage());
    }

    @Test
    void valuesOfTheRightTypeStillBind() throws Exception {
        Pod pod = AdmissionReviewReader.read(
                        review(
                                "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", \"metadata\": "
                                        + "{\"annotations\": {\"a\": \"5\"}, \"labels\": null}, \"spec\": {\"hostNetwork\": false, "
                                        + "\"containers\": [{\"name\": \"a\", \"ports\": [{\"containerPort\": 80}], \"resources\": "
                                        + "{\"limits\": {\"cpu\": 1, \"memory\": \"1Gi\"}}, \"readinessProbe\": {\"httpGet\": {\"port\": \"http\"}}}]}}"))
                .pod();
        assertEquals("5", pod.getMetadata().getAnnotations().get("a"));
        assertEquals(80, pod.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort());
        assertEquals(
                "1",
                pod.getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("cpu")
                        .toString());
    }
}
