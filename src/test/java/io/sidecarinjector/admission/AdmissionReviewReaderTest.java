package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Pod;

/** The token pass keeps the right fields and locates the pod exactly, whatever the spacing and escapes. */
class AdmissionReviewReaderTest {

    private static final String POD = "{ \"kind\" : \"Pod\", \"apiVersion\":\"v1\",\n \"metadata\": {\"generateName\": "
            + "\"web-\\u00e9-\", \"labels\": {\"a\\\"b\": \"c}d{\"}, \"namespace\": \"from-pod\"},"
            + " \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"example/app:1\"}]} }";

    private static byte[] review(String requestFields) {
        return ("{\"apiVersion\": \"admission.k8s.io/v1\", \"request\": {" + requestFields
                + "}, \"kind\": \"AdmissionReview\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void thePodIsLocatedByteForByteAndItsNameAndNamespaceAreKept() throws Exception {
        ReviewEnvelope envelope = AdmissionReviewReader.scan(review(
                "\"uid\": \"u-1\", \"object\": " + POD + ", \"oldObject\": null"));
        assertEquals(POD, new String(envelope.objectBytes(), StandardCharsets.UTF_8));
        assertEquals("u-1", envelope.uid());
        assertEquals("web-\u00e9-", envelope.podName());
        assertEquals("from-pod", envelope.namespace(), "no namespace in the request: the pod's");
        assertEquals("CREATE", envelope.operation());
        Pod pod = envelope.bind().pod();
        assertEquals("c}d{", pod.getMetadata().getLabels().get("a\"b"));
        assertEquals("example/app:1", pod.getSpec().getContainers().get(0).getImage());
    }

    @Test
    void theRequestsNamespaceWinsOverThePods() throws Exception {
        ReviewEnvelope envelope = AdmissionReviewReader.scan(review(
                "\"object\": " + POD + ", \"namespace\": \"demo\", \"uid\": \"u-2\", \"operation\": \"UPDATE\""));
        assertEquals("demo", envelope.namespace());
        assertEquals("UPDATE", envelope.operation());
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\"}} , \"x\": 1 }} trailing",
            "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", \"kind\": \"Pod\"}",
            "\"uid\": \"u\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}" })
    void everyByteIsChecked(String requestFields) {
        InvalidAdmissionReviewException e = assertThrows(InvalidAdmissionReviewException.class,
                () -> AdmissionReviewReader.scan(review(requestFields)));
        assertTrue(e.getMessage().startsWith("body is not valid JSON"), e.getMessage());
    }

    @Test
    void aSecondDocumentIsAnError() {
        byte[] one = review("\"uid\": \"u\", \"object\": " + POD);
        byte[] two = (new String(one, StandardCharsets.UTF_8) + "\n{}").getBytes(StandardCharsets.UTF_8);
        InvalidAdmissionReviewException e = assertThrows(InvalidAdmissionReviewException.class,
                () -> AdmissionReviewReader.scan(two));
        assertTrue(e.getMessage().contains("after the AdmissionReview"), e.getMessage());
    }
}
