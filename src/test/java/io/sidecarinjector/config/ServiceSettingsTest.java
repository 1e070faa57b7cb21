package io.sidecarinjector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The overload bound's default is the one README documents (Configuration, Operations: Overload). */
@QuarkusTest
class ServiceSettingsTest {

    @Inject
    ServiceSettings settings;

    @Test
    void upTo128NewPodsMayWaitForInjectionByDefault() {
        assertEquals(128, settings.maxPendingInjections());
    }
}
