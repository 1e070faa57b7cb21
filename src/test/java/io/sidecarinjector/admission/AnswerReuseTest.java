package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.Reviews;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A replica is answered at lookup, without injection, once two copies were answered (an answer is kept from the
 * second time its question comes); a pod that differs, or the same pod in another namespace, is not.
 */
@QuarkusTest
class AnswerReuseTest {

    @Inject
    AdmissionHandler handler;

    private static byte[] review(String uid, String namespace, Pod pod) {
        return Reviews.request(uid, namespace, pod).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Pod replica(String label) {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName("reuse-")
                .addToLabels("app", label)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("web")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void aReplicaIsAnsweredAtLookupWithItsOwnUid() throws Exception {
        Pod pod = replica("reuse-1");
        AdmissionHandler.Lookup first = handler.lookUp(review("u-first", "demo", pod));
        assertNull(first.answer(), "never seen: left to injection");
        JsonNode injected = Mappers.JSON.readTree(handler.handle(first));

        AdmissionHandler.Lookup second = handler.lookUp(review("u-second", "demo", pod));
        assertNull(second.answer(), "seen once: injected again, and its answer kept");
        assertEquals(
                injected.path("response").path("patch"),
                Mappers.JSON.readTree(handler.handle(second)).path("response").path("patch"));

        AdmissionHandler.Lookup third = handler.lookUp(review("u-third", "demo", pod));
        assertNotNull(third.answer(), "a replica: answered at lookup");
        JsonNode reused = Mappers.JSON.readTree(third.answer());
        assertEquals("u-third", reused.path("response").path("uid").asText());
        assertEquals(
                injected.path("response").path("patch"), reused.path("response").path("patch"));

        AdmissionHandler.Lookup other = handler.lookUp(review("u-other", "other", pod));
        assertNull(other.answer(), "another namespace: another question");
        handler.handle(other);
        handler.handle(handler.lookUp(review("u-other-2", "other", pod)));
        assertNotNull(handler.lookUp(review("u-other-3", "other", pod)).answer(), "kept for its own namespace");
        assertNull(
                handler.lookUp(review("u-changed", "demo", replica("reuse-2"))).answer(), "another pod");
    }
}
