package io.sidecarinjector.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sidecarinjector.support.Mappers;
import org.junit.jupiter.api.Test;

/** Answers are kept from the second time their question is answered; questions asked once keep nothing. */
class AnswerCacheTest {

    private static final byte[] ALLOWED = "{\"allowed\":true}".getBytes();

    private static AnswerCache<byte[]> cache() {
        return new AnswerCache<>(null, 1 << 20, answer -> answer.length);
    }

    private static AnswerKey key(String namespace, Pod pod) throws Exception {
        byte[] json = Mappers.JSON.writeValueAsBytes(pod);
        return AnswerKey.of(namespace, "CREATE", json, 0, json.length);
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
        AnswerCache<byte[]> cache = cache();
        AnswerKey first = key("demo", replica());

        cache.put(first, ALLOWED);
        assertNull(cache.get(first), "asked once: not kept");
        cache.put(key("demo", replica()), ALLOWED);
        assertSame(ALLOWED, cache.get(first), "asked twice: kept, and found by an equal key");
    }

    @Test
    void aStreamOfPodsAskedOnceKeepsNothing() throws Exception {
        AnswerCache<byte[]> cache = cache();
        for (int i = 0; i < 3 * AnswerCache.ASKED_ONCE_SLOTS; i++) {
            cache.put(key("demo", named("pod-" + i)), ALLOWED);
        }
        assertEquals(0, cache.size());
    }

    @Test
    void theSamePodInAnotherNamespaceIsAnotherQuestion() throws Exception {
        AnswerCache<byte[]> cache = cache();
        cache.put(key("demo", replica()), ALLOWED);
        cache.put(key("other", replica()), ALLOWED);
        assertNull(cache.get(key("demo", replica())));
        assertNull(cache.get(key("other", replica())));
        cache.put(key("other", replica()), ALLOWED);
        assertNotNull(cache.get(key("other", replica())));
        assertNull(cache.get(key("demo", replica())));
    }
}
