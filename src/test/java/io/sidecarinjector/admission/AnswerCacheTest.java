package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Answers are kept from the second time their question is answered; questions asked once keep nothing. */
class AnswerCacheTest {

    private static final PreparedAnswer ALLOWED = PreparedAnswer.of(
            new AdmissionResult("u", true, null, 200, null, Map.of(), List.of(), null));

    private static AnswerKey key(String namespace, String pod) throws InvalidAdmissionReviewException {
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":\"" + namespace + "\","
                + "\"operation\":\"CREATE\",\"object\":" + pod + "}}";
        return AnswerKey.of(AdmissionReviewReader.scan(review.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAnswerIsKeptTheSecondTimeItsQuestionIsAnswered() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        AnswerKey pod = key("demo", "{\"metadata\":{\"generateName\":\"web-\"}}");

        cache.put(pod, ALLOWED);
        assertNull(cache.get(pod), "asked once: not kept");
        cache.put(key("demo", "{\"metadata\":{\"generateName\":\"web-\"}}"), ALLOWED);
        assertSame(ALLOWED, cache.get(pod), "asked twice: kept, and found by an equal key");
    }

    @Test
    void aStreamOfPodsAskedOnceKeepsNothing() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        for (int i = 0; i < 3 * AnswerCache.ASKED_ONCE_SLOTS; i++) {
            cache.put(key("demo", "{\"metadata\":{\"name\":\"pod-" + i + "\"}}"), ALLOWED);
        }
        assertEquals(0, cache.size());
    }

    @Test
    void theSamePodInAnotherNamespaceIsAnotherQuestion() throws Exception {
        AnswerCache cache = new AnswerCache(null, 1 << 20);
        String pod = "{\"metadata\":{\"generateName\":\"web-\"}}";
        cache.put(key("demo", pod), ALLOWED);
        cache.put(key("other", pod), ALLOWED);
        assertNull(cache.get(key("demo", pod)));
        assertNull(cache.get(key("other", pod)));
        cache.put(key("other", pod), ALLOWED);
        assertNotNull(cache.get(key("other", pod)));
        assertNull(cache.get(key("demo", pod)));
    }
}
