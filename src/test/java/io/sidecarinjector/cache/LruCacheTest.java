package io.sidecarinjector.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The bound is on total weight, the least recently used goes first, and an entry heavier than the bound is not kept. */
class LruCacheTest {

    private static LruCache<String, String> byLength(long maxWeight) {
        return new LruCache<>(maxWeight, (k, v) -> v.length());
    }

    @Test
    void theLeastRecentlyUsedGoesFirstWhenTheWeightIsExceeded() {
        LruCache<String, String> cache = byLength(10);
        cache.put("a", "xxxx");
        cache.put("b", "xxxx");
        assertEquals("xxxx", cache.get("a")); // a is now the most recently used
        cache.put("c", "xxxx");
        assertNull(cache.get("b"));
        assertEquals("xxxx", cache.get("a"));
        assertEquals("xxxx", cache.get("c"));
        assertEquals(8, cache.weight());
    }

    @Test
    void anEntryHeavierThanTheWholeBoundIsNotKeptAndEvictsNothing() {
        LruCache<String, String> cache = byLength(10);
        cache.put("a", "xxxx");
        cache.put("big", "xxxxxxxxxxx");
        assertNull(cache.get("big"));
        assertEquals("xxxx", cache.get("a"));
    }

    @Test
    void replacingAnEntryCountsOnlyItsNewWeight() {
        LruCache<String, String> cache = byLength(10);
        cache.put("a", "xxxxxxxx");
        cache.put("a", "xx");
        assertEquals(2, cache.weight());
        assertEquals(1, cache.size());
    }

    @Test
    void aBoundOfZeroKeepsNothing() {
        LruCache<String, String> cache = byLength(0);
        cache.put("a", "x");
        assertNull(cache.get("a"));
        assertEquals(0, cache.size());
    }

    @Test
    void aCountBoundKeepsThatManyEntries() {
        LruCache<Integer, String> cache = LruCache.ofEntries(3);
        for (int i = 0; i < 5; i++) {
            cache.put(i, "v" + i);
        }
        assertEquals(3, cache.size());
        assertNull(cache.get(0));
        assertEquals("v4", cache.get(4));
    }
}
