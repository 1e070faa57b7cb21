package io.sidecarinjector.nativeimage;

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
        boolean proxy = false;
        for (JsonNode op : patch) {
            proxy |= op.path("path").asText().startsWith("/spec/containers")
                    && op.path("value").toString().contains("\"istio-proxy\"");
        }
        assertTrue(proxy, () -> "patch: " + patch);
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
