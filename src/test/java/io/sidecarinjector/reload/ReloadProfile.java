package io.sidecarinjector.reload;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.sidecarinjector.testing.ConfigMapDir;
import java.util.Map;

/** The injector reading its configuration from a ConfigMap-shaped folder that tests update. */
public class ReloadProfile implements QuarkusTestProfile {

    static final String INITIAL_CONFIG = "policy: enabled\n";
    static final String INITIAL_MESH = "trustDomain: cluster.local\n";
    static final String INITIAL_VALUES = "{\"global\": {\"tag\": \"first\"}}\n";
    static final ConfigMapDir DIR =
            ConfigMapDir.create(Map.of("config", INITIAL_CONFIG, "mesh", INITIAL_MESH, "values", INITIAL_VALUES));

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "injector.config.file", DIR.file("config").toString(),
                "injector.mesh.file", DIR.file("mesh").toString(),
                "injector.values.file", DIR.file("values").toString(),
                "injector.reload.interval", "100ms");
    }
}
