package io.sidecarinjector.throughput;

import io.sidecarinjector.cache.LruCache;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToIntFunction;

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
 *
 * @param <A> an answer, as sent (the cache is bounded by the bytes its answers weigh)
 */
public final class AnswerCache<A> {

    /** Fixed cost of an entry besides its bytes: key, record, map entry. */
    private static final int ENTRY_OVERHEAD = 256;

    /**
     * Questions remembered as asked once (a power of two; 8 bytes each). Under a stream of new pods a slot is
     * eventually taken by another question; a replica that comes later is injected once more and then kept.
     */
    static final int ASKED_ONCE_SLOTS = 4096;

    private final Object snapshot;
    private final LruCache<AnswerKey, A> answers;
    private final AtomicLongArray askedOnce = new AtomicLongArray(ASKED_ONCE_SLOTS);

    /**
     * @param snapshot the configuration the answers were given with
     * @param maxBytes the bytes kept, keys and answers
     * @param bytes the bytes of an answer
     */
    public AnswerCache(Object snapshot, long maxBytes, ToIntFunction<A> bytes) {
        this.snapshot = snapshot;
        this.answers = new LruCache<>(maxBytes, (k, v) -> k.size() + bytes.applyAsInt(v) + ENTRY_OVERHEAD);
    }

    /** Whether the answers were given with this configuration. */
    public boolean answersFor(Object configuration) {
        return snapshot == configuration;
    }

    /** @return the answer, or null when none is kept */
    public A get(AnswerKey key) {
        return answers.get(key);
    }

    /** Keeps the answer if its question was answered before (and not forgotten since). */
    public void put(AnswerKey key, A answer) {
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
