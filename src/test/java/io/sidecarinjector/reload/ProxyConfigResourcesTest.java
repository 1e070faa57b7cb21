package io.sidecarinjector.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.support.Mappers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Istio's ProxyConfig resources: what they contribute and in which order, as istiod applies them. */
class ProxyConfigResourcesTest {

    static final String LIST = """
            {"kind": "ProxyConfigList", "items": [
              {"metadata": {"namespace": "demo", "name": "workload"},
               "spec": {"selector": {"matchLabels": {"app": "web"}}, "concurrency": 4}},
              {"metadata": {"namespace": "istio-system", "name": "mesh-wide"},
               "spec": {"concurrency": 1, "environmentVariables": {"A": "root", "B": "root"},
                        "image": {"imageType": "distroless"}}},
              {"metadata": {"namespace": "demo", "name": "namespace"},
               "spec": {"concurrency": 2, "environmentVariables": {"B": "namespace"}}},
              {"metadata": {"namespace": "other", "name": "elsewhere"}, "spec": {"concurrency": 9}}
            ]}
            """;

    static ProxyConfig effective(Map<String, String> labels) throws Exception {
        List<ProxyConfigResources.Resource> resources = ProxyConfigResources.parse(Mappers.JSON.readTree(LIST));
        ProxyConfig config = IstioDocuments.defaults().mesh().defaultConfig();
        for (JsonNode overlay : ProxyConfigResources.select(resources, "demo", labels, "istio-system")) {
            config = config.overlaidWith(overlay);
        }
        return config;
    }

    @Test
    void rootNamespaceThenNamespaceThenASelectorMatchingThePod() throws Exception {
        ProxyConfig web = effective(Map.of("app", "web"));
        assertEquals(4, web.tree().path("concurrency").asInt(), "the workload's resource wins");
        assertEquals(Map.of("A", "root", "B", "namespace"), web.proxyMetadata(), "environmentVariables merge by name");
        assertEquals("distroless", web.imageType().orElseThrow());
    }

    @Test
    void aSelectorThatDoesNotMatchTakesNoPart() throws Exception {
        assertEquals(
                2, effective(Map.of("app", "db")).tree().path("concurrency").asInt());
    }

    @Test
    void anotherNamespacesResourcesTakeNoPart() throws Exception {
        List<ProxyConfigResources.Resource> resources = ProxyConfigResources.parse(Mappers.JSON.readTree(LIST));
        assertEquals(
                1,
                ProxyConfigResources.select(resources, "other2", Map.of(), "istio-system")
                        .size(),
                "only the root namespace's");
    }
}
