package io.sidecarinjector.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.support.Mappers;
import org.junit.jupiter.api.Test;

class FragmentRendererTest {

    /** As the built-in templates print values: numbers and booleans quoted. */
    private static final String PRINTED = """
            spec:
              containers:
              - name: istio-proxy
                readinessProbe:
                  periodSeconds: "15"
                  failureThreshold: "4"
                  httpGet:
                    port: 15021
                securityContext:
                  runAsUser: "1337"
                  privileged: "false"
                futureField: {kept: value}
            """;

    @Test
    void whatATemplatePrintsReadsAsThePodsOwnTypes() {
        ObjectNode fragment = FragmentRenderer.parse("sidecar", PRINTED);

        ObjectNode proxy = (ObjectNode) fragment.at("/spec/containers/0");
        assertEquals(15, proxy.at("/readinessProbe/periodSeconds").intValue());
        assertTrue(proxy.at("/readinessProbe/periodSeconds").isIntegralNumber());
        assertTrue(proxy.at("/readinessProbe/failureThreshold").isIntegralNumber());
        assertTrue(proxy.at("/securityContext/runAsUser").isIntegralNumber());
        assertTrue(proxy.at("/securityContext/privileged").isBoolean());
        assertEquals(15021, proxy.at("/readinessProbe/httpGet/port").intValue());
        assertEquals("value", proxy.at("/futureField/kept").asText());
    }

    @Test
    void aValueThatIsNotOfItsTypeNamesTheTemplate() {
        RenderException e = assertThrows(
                RenderException.class,
                () -> FragmentRenderer.parse(
                        "sidecar", "spec: {containers: [{name: p, readinessProbe: {periodSeconds: often}}]}"));

        assertTrue(
                e.getMessage().startsWith("template 'sidecar' rendered something that is not a pod"), e.getMessage());
    }

    /**
     * The templates' reading converts scalars through the strict mapper's own deserializers; the strict mapper
     * still converts nothing, whichever of the two read a pod first.
     */
    @Test
    void sharingTheDeserializersLeavesTheStrictMapperStrict() throws Exception {
        String quoted =
                "{\"spec\": {\"containers\": [{\"name\": \"p\", \"readinessProbe\": {\"periodSeconds\": \"15\"}}]}}";
        FragmentRenderer.parse("sidecar", quoted);

        MismatchedInputException strict =
                assertThrows(MismatchedInputException.class, () -> Mappers.JSON.readValue(quoted, Pod.class));
        assertTrue(strict.getMessage().startsWith("Cannot coerce String value (\"15\")"), strict.getMessage());
        assertEquals(
                15,
                Mappers.FRAGMENTS
                        .treeToValue(Mappers.JSON.readTree(quoted), Pod.class)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getReadinessProbe()
                        .getPeriodSeconds());
        assertThrows(
                MismatchedInputException.class,
                () -> Mappers.JSON.readValue("{\"metadata\": {\"name\": 7}}", Pod.class));
        assertSame(Mappers.JSON.getDeserializationContext(), Mappers.FRAGMENTS.getDeserializationContext());
    }
}
