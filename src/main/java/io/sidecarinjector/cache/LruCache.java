package io.sidecarinjector.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongBiFunction;

/**
 * A least-recently-used cache bounded by a total weight (a count, or bytes). Thread-safe; its critical sections
 * are a map lookup or insertion, so one lock is cheaper than anything finer on the few cores a webhook gets.
 */
public final class LruCache<K, V> {

    private final long maxWeight;
    private final ToLongBiFunction<K, V> weigher;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    /**
     * @param maxWeight the total weight kept; 0 keeps nothing
     * @param weigher the weight of one entry, at least 1
     */
    public LruCache(long maxWeight, ToLongBiFunction<K, V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** A cache of at most {@code capacity} entries. */
    public static <K, V> LruCache<K, V> ofEntries(int capacity) {
        return new LruCache<>(capacity, (k, v) -> 1);
    }

    /** @return the value, or null when absent */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    /** Keeps a value, unless it alone weighs more than the whole cache may. */
    public synchronized void put(K key, V value) {
        long w = Math.max(1, weigher.applyAsLong(key, value));
        if (w > maxWeight) {
            return;
        }
        V previous = entries.put(key, value);
        if (previous != null) {
            weight -= Math.max(1, weigher.applyAsLong(key, previous));
        }
        weight += w;
        var eldest = entries.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            Map.Entry<K, V> entry = eldest.next();
            weight -= Math.max(1, weigher.applyAsLong(entry.getKey(), entry.getValue()));
            eldest.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long weight() {
        return weight;
    }
}
