package io.sidecarinjector.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCopyTest {

    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web", "labels": {"app": "web", "empty": null},
                          "annotations": {"a": "1"}, "unknownMeta": {"kept": true}},
             "spec": {"containers": [{"name": "app", "image": "app:1",
                                      "ports": [{"name": "http", "containerPort": 8080}],
                                      "readinessProbe": {"httpGet": {"port": "http", "path": "/ready"}},
                                      "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}}],
                      "runtimeClassName": "gvisor", "futureField": [1, "two"]}}
            """;

    @Test
    void theCopyIsEqualAndSharesNothing() throws Exception {
        Pod pod = Mappers.JSON.readValue(POD, Pod.class);

        Pod copy = ModelCopy.of(pod);

        assertEquals(pod, copy);
        assertEquals(Mappers.JSON.valueToTree(pod), Mappers.JSON.valueToTree(copy));
        assertNotSame(pod.getSpec(), copy.getSpec());
        assertNotSame(
                pod.getSpec().getContainers().get(0),
                copy.getSpec().getContainers().get(0));
        copy.getMetadata().getLabels().put("app", "changed");
        copy.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().setPath("/changed");
        copy.getSpec().getContainers().add(new Container());
        assertEquals("web", pod.getMetadata().getLabels().get("app"));
        assertEquals(
                "/ready",
                pod.getSpec()
                        .getContainers()
                        .get(0)
                        .getReadinessProbe()
                        .getHttpGet()
                        .getPath());
        assertEquals(1, pod.getSpec().getContainers().size());
    }

    @Test
    void whatTheModelKeepsBesideItsFieldsIsCopiedToo() throws Exception {
        Pod copy = ModelCopy.of(Mappers.JSON.readValue(POD, Pod.class));

        assertTrue(copy.getMetadata().getLabels().containsKey("empty"));
        assertNull(copy.getMetadata().getLabels().get("empty"));
        assertEquals(
                Map.of("kept", true),
                copy.getMetadata().getAdditionalProperties().get("unknownMeta"));
        assertEquals(List.of(1, "two"), copy.getSpec().getAdditionalProperties().get("futureField"));
        Container app = copy.getSpec().getContainers().get(0);
        assertEquals("http", app.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("500m", app.getResources().getLimits().get("cpu").toString());
    }
}
