package io.sidecarinjector.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidecarinjector.support.Mappers;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackgroundListingTest {

    @Test
    void theValueIsNoneUntilAReadSucceedsAndThenWhatWasRead() throws InterruptedException {
        CountDownLatch answer = new CountDownLatch(1);
        BackgroundListing<Integer> listing = new BackgroundListing<>(
                "test-listing",
                () -> {
                    try {
                        answer.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "{\"items\":[1,2,3]}";
                },
                list -> list.path("items").size(),
                -1,
                e -> {});

        assertEquals(-1, listing.current(0), "nothing read yet");
        assertFalse(listing.firstReadEnded());
        answer.countDown();
        listing.awaitFirst(5_000);
        assertTrue(listing.firstReadEnded());
        assertEquals(3, listing.current(Long.MAX_VALUE), "read once, not again within the period");
    }

    @Test
    void aFailureGivesNoneAndIsReportedOnceOnly() throws InterruptedException {
        AtomicInteger reports = new AtomicInteger();
        BackgroundListing<Integer> listing = new BackgroundListing<>(
                "test-listing",
                () -> {
                    throw new IllegalStateException("forbidden");
                },
                list -> 1,
                0,
                e -> reports.incrementAndGet());
        for (int i = 0; i < 3; i++) {
            listing.current(0);
            listing.awaitFirst(5_000);
            Thread.sleep(50);
        }
        assertEquals(0, listing.current(Long.MAX_VALUE));
        assertEquals(1, reports.get());
    }

    @Test
    void anAnswerThatIsNotJsonIsAFailure() {
        AtomicInteger reports = new AtomicInteger();
        BackgroundListing<Integer> listing =
                new BackgroundListing<>("test-listing", () -> "not json", list -> 1, 0, e -> reports.incrementAndGet());
        listing.current(0);
        listing.awaitFirst(5_000);
        assertEquals(0, listing.current(Long.MAX_VALUE));
        assertEquals(1, reports.get());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "v1.33.0,v1.34.2 | true",
                "v1.33.0,v1.32.9 | false",
                "v1.33.1-eks-123 | true",
                "'' | false",
                "garbage | false",
                "v2.0.0 | true"
            })
    void nativeSidecarsWhenEveryKubeletIs133OrNewer(String versions, boolean supported) throws Exception {
        StringBuilder items = new StringBuilder();
        for (String v : versions.isEmpty() ? List.<String>of() : List.of(versions.split(","))) {
            items.append(items.length() == 0 ? "" : ",")
                    .append("{\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"")
                    .append(v)
                    .append("\"}}}");
        }
        JsonNode list = Mappers.JSON.readTree("{\"items\":[" + items + "]}");
        assertEquals(supported, NodeVersions.allSupport(list));
        assertFalse(NodeVersions.allSupport(Mappers.JSON.readTree("{}")), "no nodes at all means no");
    }
}
