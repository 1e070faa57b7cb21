package io.sidecarinjector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageWarmUpTest {

    @Test
    void theWarmUpInjectsTheSidecarIntoTheSamplePod() {
        ArrayNode patch = ImageWarmUp.run();
        List<String> added = new ArrayList<>();
        for (JsonNode op : patch) {
            if (op.path("op").asText().equals("add")) {
                added.add(op.path("path").asText());
            }
        }
        assertTrue(added.contains("/spec/initContainers"), () -> "patch: " + patch);
        assertTrue(added.stream().anyMatch(p -> p.startsWith("/spec/containers/")), () -> "patch: " + patch);
        assertTrue(added.contains("/spec/volumes"), () -> "patch: " + patch);
    }

    @Test
    void onAJvmTheWarmUpRunsOnAThreadOfItsOwnAndEnds() throws InterruptedException {
        Thread thread = ImageWarmUp.besideJvmStart().orElseThrow();
        assertEquals("warm-up", thread.getName());
        assertTrue(thread.isDaemon(), "must not keep a command from exiting");
        thread.join(30_000);
        assertFalse(thread.isAlive());
    }
}
