package io.sidecarinjector.admission;

import io.sidecarinjector.cache.LruCache;
import io.sidecarinjector.inject.ActiveConfig;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The answers given with one configuration snapshot, by question. The replicas of a workload reach the webhook as
 * the same pod, byte for byte (they have a generateName, not a name), and an answer is a function of the pod,
 * its namespace, the operation and the configuration alone; so a replica is answered without reading, injecting
 * or diffing its pod again. A new snapshot starts an empty cache.
 * <p>
 * An answer is kept from the second time its question is answered, not the first: a pod asked about once (a bare
 * pod, a Job's, a StatefulSet's, each with its own name) would only push the answers of workloads out, and answers
 * that live a fraction of a second are the costliest garbage there is for a generational collector: they survive
 * young collections and are promoted only to die. The questions asked once are remembered as fingerprints in a
 * fixed table, which allocates nothing per request; a fingerprint that collides only keeps an answer one
 * question early.
 */
final class AnswerCache {

    /** Fixed cost of an entry besides its bytes: key, record, map entry. */
    private static final int ENTRY_OVERHEAD = 256;

    /**
     * Questions remembered as asked once (a power of two; 8 bytes each). Under a stream of new pods a slot is
     * eventually taken by another question; a replica that comes later is injected once more and then kept.
     */
    static final int ASKED_ONCE_SLOTS = 4096;

    private final ActiveConfig snapshot;
    private final LruCache<AnswerKey, PreparedAnswer> answers;
    private final AtomicLongArray askedOnce = new AtomicLongArray(ASKED_ONCE_SLOTS);

    AnswerCache(ActiveConfig snapshot, long maxBytes) {
        this.snapshot = snapshot;
        this.answers = new LruCache<>(maxBytes, (k, v) -> k.size() + v.response().length + ENTRY_OVERHEAD);
    }

    ActiveConfig snapshot() {
        return snapshot;
    }

    PreparedAnswer get(AnswerKey key) {
        return answers.get(key);
    }

    /** Keeps the answer if its question was answered before (and not forgotten since). */
    void put(AnswerKey key, PreparedAnswer answer) {
        int slot = key.hashCode() & (ASKED_ONCE_SLOTS - 1);
        long fingerprint = key.fingerprint();
        if (askedOnce.getAndSet(slot, fingerprint) == fingerprint) {
            answers.put(key, answer);
        }
    }

    /** Answers kept, for tests. */
    int size() {
        return answers.size();
    }
}
