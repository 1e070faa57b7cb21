package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.testing.Reviews;

/**
 * A replica is answered at lookup, without injection, once its first copy was answered; a pod that differs, or the
 * same pod in another namespace, is not.
 */
@QuarkusTest
class AnswerReuseTest {

    @Inject
    AdmissionHandler handler;

    private static byte[] review(String uid, String namespace, Pod pod) {
        return Reviews.request(uid, namespace, pod).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Pod replica(String label) {
        return new PodBuilder().withNewMetadata().withGenerateName("reuse-").addToLabels("app", label).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("web").endContainer().endSpec().build();
    }

    @Test
    void aReplicaIsAnsweredAtLookupWithItsOwnUid() throws Exception {
        Pod pod = replica("reuse-1");
        AdmissionHandler.Lookup first = handler.lookUp(review("u-first", "demo", pod));
        assertNull(first.answer(), "never seen: left to injection");
        JsonNode injected = Mappers.JSON.readTree(handler.handle(first));

        AdmissionHandler.Lookup second = handler.lookUp(review("u-second", "demo", pod));
        assertNotNull(second.answer(), "a replica: answered at lookup");
        JsonNode reused = Mappers.JSON.readTree(second.answer());
        assertEquals("u-second", reused.path("response").path("uid").asText());
        assertEquals(injected.path("response").path("patch"), reused.path("response").path("patch"));

        assertNull(handler.lookUp(review("u-other", "other", pod)).answer(), "another namespace: another question");
        assertNull(handler.lookUp(review("u-changed", "demo", replica("reuse-2"))).answer(), "another pod");
    }
}
