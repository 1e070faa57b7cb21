package io.sidecarinjector.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sidecarinjector.support.Mappers;
import java.util.List;
import java.util.Map;

/** The Multus networks annotation, to which Istio's CNI network is added when Multus runs the CNI plugin. */
final class Multus {

    static final String ANNOTATION = "k8s.v1.cni.cncf.io/networks";

    private Multus() {}

    /** The annotation's value with the network added (a JSON list or a comma-separated list, as it was). */
    static String append(String existing, String network) {
        if (existing == null || existing.isEmpty()) {
            return network;
        }
        int slash = network.indexOf('/');
        String namespace = slash < 0 ? "" : network.substring(0, slash);
        String name = slash < 0 ? network : network.substring(slash + 1);
        int end = existing.lastIndexOf(']');
        if (end >= 0) {
            try {
                List<Map<String, Object>> networks =
                        Mappers.JSON.readValue(existing, new TypeReference<List<Map<String, Object>>>() {});
                for (Map<String, Object> net : networks) {
                    Object ns = net.get("namespace") == null ? "" : net.get("namespace");
                    if (name.equals(net.get("name")) && namespace.equals(ns)) {
                        return existing;
                    }
                }
            } catch (JsonProcessingException e) {
                return existing;
            }
            String entry = namespace.isEmpty()
                    ? ", {\"name\": \"" + name + "\"}"
                    : ", {\"name\": \"" + name + "\", \"namespace\": \"" + namespace + "\"}";
            return existing.substring(0, end) + entry + existing.substring(end);
        }
        for (String net : existing.split(",")) {
            if (net.trim().equals(network)) {
                return existing;
            }
        }
        return existing + ", " + network;
    }
}
