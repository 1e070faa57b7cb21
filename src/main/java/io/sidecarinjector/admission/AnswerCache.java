package io.sidecarinjector.admission;

import io.sidecarinjector.cache.LruCache;
import io.sidecarinjector.inject.InjectorSnapshot;

/**
 * The answers given with one configuration snapshot, by question. The replicas of a workload reach the webhook as
 * the same pod, byte for byte (they have a generateName, not a name), and an answer is a function of the pod,
 * its namespace, the operation and the configuration alone; so a replica after the first is answered without
 * reading, injecting or diffing its pod again. A new snapshot starts an empty cache.
 */
final class AnswerCache {

    /** Fixed cost of an entry besides its bytes: key, record, map entry. */
    private static final int ENTRY_OVERHEAD = 256;

    private final InjectorSnapshot snapshot;
    private final LruCache<AnswerKey, PreparedAnswer> answers;

    AnswerCache(InjectorSnapshot snapshot, long maxBytes) {
        this.snapshot = snapshot;
        this.answers = new LruCache<>(maxBytes, (k, v) -> k.size() + v.response().length + ENTRY_OVERHEAD);
    }

    InjectorSnapshot snapshot() {
        return snapshot;
    }

    PreparedAnswer get(AnswerKey key) {
        return answers.get(key);
    }

    void put(AnswerKey key, PreparedAnswer answer) {
        answers.put(key, answer);
    }
}
