package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sidecarinjector.testing.Reviews;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers are kept from the second time their question is answered; questions asked once keep nothing. */
class AnswerCacheTest {

    private static final PreparedAnswer ALLOWED =
            PreparedAnswer.of(new AdmissionResult("u", true, null, 200, null, Map.of(), List.of(), null));

    private static AnswerKey key(String namespace, Pod pod) throws InvalidAdmissionReviewException {
        byte[] review = Reviews.request("u", namespace, pod).toString().getBytes(StandardCharsets.UTF_8);
        return AnswerKey.of(AdmissionReviewReader.scan(review));
    }

    private static Pod replica() {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName("web-")
                .endMetadata()
                .build();
    }

    private static Pod named(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    @Test
    void anAnswerIsKeptTheSecondTimeItsQuestionIsAnswered() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        AnswerKey first = key("demo", replica());

        cache.put(first, ALLOWED);
        assertNull(cache.get(first), "asked once: not kept");
        cache.put(key("demo", replica()), ALLOWED);
        assertSame(ALLOWED, cache.get(first), "asked twice: kept, and found by an equal key");
    }

    @Test
    void aStreamOfPodsAskedOnceKeepsNothing() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        for (int i = 0; i < 3 * AnswerCache.ASKED_ONCE_SLOTS; i++) {
            cache.put(key("demo", named("pod-" + i)), ALLOWED);
        }
        assertEquals(0, cache.size());
    }

    @Test
    void theSamePodInAnotherNamespaceIsAnotherQuestion() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        cache.put(key("demo", replica()), ALLOWED);
        cache.put(key("other", replica()), ALLOWED);
        assertNull(cache.get(key("demo", replica())));
        assertNull(cache.get(key("other", replica())));
        cache.put(key("other", replica()), ALLOWED);
        assertNotNull(cache.get(key("other", replica())));
        assertNull(cache.get(key("demo", replica())));
    }
}
