package io.sidecarinjector.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodMergerTest {

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Mappers.JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static final String POD = "{'metadata':{'labels':{'app':'shop'}},'spec':{'containers':["
            + "{'name':'web','image':'shop:1','env':[{'name':'A','value':'1'}],'ports':[{'containerPort':8080}]}]}}";

    private static final String FRAGMENT = "{'metadata':{'labels':{'security.istio.io/tlsMode':'istio'},"
            + "'annotations':{'sidecar.istio.io/status':'{}'}},'spec':{'containers':["
            + "{'name':'web','env':[{'name':'B','value':'2'}],'ports':[{'containerPort':8080,'name':'http'}]},"
            + "{'name':'istio-proxy','image':'proxyv2','args':['proxy','sidecar'],'env':[{'name':'C','value':'3'}]}],"
            + "'initContainers':[{'name':'istio-init','args':['-u','1337']}],"
            + "'volumes':[{'name':'istio-envoy','emptyDir':{}}]}}";

    @Test
    void mergesMappingsAndNamedListsAndReplacesTheRest() {
        ObjectNode pod = tree(POD);
        PodMerger.overlay(pod, tree(FRAGMENT));
        assertEquals(
                tree("{'metadata':{'labels':{'app':'shop','security.istio.io/tlsMode':'istio'},"
                        + "'annotations':{'sidecar.istio.io/status':'{}'}},'spec':{'containers':["
                        + "{'name':'web','image':'shop:1','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],"
                        + "'ports':[{'containerPort':8080,'name':'http'}]},"
                        + "{'name':'istio-proxy','image':'proxyv2','args':['proxy','sidecar'],"
                        + "'env':[{'name':'C','value':'3'}]}],"
                        + "'initContainers':[{'name':'istio-init','args':['-u','1337']}],"
                        + "'volumes':[{'name':'istio-envoy','emptyDir':{}}]}}"),
                pod);
        ObjectNode replaced = tree("{'spec':{'containers':[{'name':'web','args':['a','b']}]}}");
        PodMerger.overlay(replaced, tree("{'spec':{'containers':[{'name':'web','args':['c']}]}}"));
        assertEquals(tree("{'spec':{'containers':[{'name':'web','args':['c']}]}}"), replaced);
    }

    @Test
    void aSharedFragmentIsTakenWithoutACopyAndNeverChanged() {
        ObjectNode fragment = SharedTree.of(tree(FRAGMENT));
        ObjectNode pristine = tree(FRAGMENT);
        ObjectNode first = tree(POD);
        PodMerger.overlay(first, fragment);
        // what the pod lacked is the fragment's own part
        assertSame(fragment.get("spec").get("volumes"), first.get("spec").get("volumes"));
        assertSame(fragment.at("/spec/containers/1"), first.at("/spec/containers/1"));

        // every change the steps after the merge make goes through the pod's own copies
        ObjectNode proxy = PodTree.ownContainer(first, "istio-proxy");
        PodTree.setEnv(proxy, "C", "changed");
        PodTree.addEnv(proxy, "D", "4");
        PodTree.metadataMap(first, "annotations").put("sidecar.istio.io/status", "changed");
        PodTree.move(PodTree.ownList(first, "containers"), "istio-proxy", true);
        PodTree.replaceContainer(first, "istio-init", tree("{'name':'istio-init','args':['-u','1000']}"));
        PodMerger.overlay(
                PodTree.ownContainer(first, "istio-proxy"),
                tree("{'args':['proxy','router'],'env':[{'name':'E','value':'5'}]}"));

        assertEquals(pristine, fragment);
        assertEquals("changed", first.at("/spec/containers/0/env/0/value").asText());
        assertEquals(List.of("C", "D", "E"), PodTree.names((ArrayNode) first.at("/spec/containers/0/env")));
        assertEquals("1000", first.at("/spec/initContainers/0/args/1").asText());

        // a second pod gets the fragment as it was rendered
        ObjectNode second = tree(POD);
        PodMerger.overlay(second, fragment);
        assertEquals("3", second.at("/spec/containers/1/env/0/value").asText());
        assertEquals(
                "{}",
                second.at("/metadata/annotations/sidecar.istio.io~1status").asText());
    }

    @Test
    void aSharedTreeRefusesChangesAndIsEqualToAndWrittenAsItsSource() {
        ObjectNode source = tree(FRAGMENT);
        ObjectNode shared = SharedTree.of(source);
        assertEquals(source, shared);
        assertEquals(source.toString(), shared.toString());
        ObjectNode metadata = (ObjectNode) shared.get("metadata");
        assertThrows(UnsupportedOperationException.class, () -> metadata.put("x", "y"));
        ArrayNode volumes = (ArrayNode) shared.at("/spec/volumes");
        assertThrows(UnsupportedOperationException.class, () -> volumes.add("x"));
        assertThrows(UnsupportedOperationException.class, () -> volumes.remove(0));
        // a copy is the pod's to change at every level
        ObjectNode copy = PodTree.copy(shared);
        ((ObjectNode) copy.get("metadata")).put("x", "y");
        assertEquals(source, SharedTree.of(tree(FRAGMENT)));
    }

    @Test
    void aSharedTreeIsWrittenAsThePlainTreeEachTimeAndInEachForm() throws Exception {
        ObjectNode plain = tree(POD);
        PodMerger.overlay(plain, tree(FRAGMENT));
        ObjectNode withShared = tree(POD);
        PodMerger.overlay(withShared, SharedTree.of(tree(FRAGMENT)));
        PodTree.addEnv(PodTree.ownContainer(withShared, "istio-proxy"), "D", "\u00e9\"");
        PodTree.addEnv(PodTree.ownContainer(plain, "istio-proxy"), "D", "\u00e9\"");
        // the first writes go field by field, later ones copy what was kept
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    new String(Mappers.JSON.writeValueAsBytes(plain), StandardCharsets.UTF_8),
                    new String(Mappers.JSON.writeValueAsBytes(withShared), StandardCharsets.UTF_8));
        }
        assertEquals(plain.toPrettyString(), withShared.toPrettyString());
        assertEquals(Mappers.yamlSafeJson(plain), Mappers.yamlSafeJson(withShared));
        assertEquals(Mappers.YAML.writeValueAsString(plain), Mappers.YAML.writeValueAsString(withShared));
    }

    @Test
    void ownCopiesAreTakenOnceAndOnlyOfSharedParts() {
        ObjectNode pod = tree(POD);
        JsonNode containers = pod.at("/spec/containers");
        assertSame(containers, PodTree.ownList(pod, "containers"));
        ObjectNode fragment = SharedTree.of(tree(FRAGMENT));
        PodMerger.overlay(pod, fragment);
        assertSame(fragment.at("/spec/initContainers"), pod.at("/spec/initContainers"));
        ArrayNode init = PodTree.ownList(pod, "initContainers");
        assertNotSame(fragment.at("/spec/initContainers"), init);
        assertSame(init, PodTree.ownList(pod, "initContainers"));
        ObjectNode own = PodTree.ownContainer(pod, "istio-init");
        assertSame(own, PodTree.ownContainer(pod, "istio-init"));
    }
}
