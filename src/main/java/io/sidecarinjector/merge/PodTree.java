package io.sidecarinjector.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and edits a pod held as the JSON tree of its own serialisation, the form the pipeline works on from the
 * merge to the patch: the few paths the steps after the merge touch (metadata maps, containers, their env), so
 * that the whole pod need not be turned into the model and back.
 */
public final class PodTree {

    /** The pod's container lists, init containers first, as the kubelet starts them. */
    public static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");

    private PodTree() {}

    /** {@code metadata.<field>} (labels, annotations), made when the pod has none. */
    public static ObjectNode metadataMap(ObjectNode pod, String field) {
        ObjectNode metadata = object(pod, "metadata");
        return object(metadata, field);
    }

    /** {@code metadata.<field>} as strings; a null value stays null. Empty when the pod has none. */
    public static Map<String, String> strings(ObjectNode pod, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        pod.path("metadata")
                .path(field)
                .fields()
                .forEachRemaining(e -> map.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return map;
    }

    /** Replaces {@code metadata.<field>} with these strings, in their order. */
    public static void putStrings(ObjectNode pod, String field, Map<String, String> values) {
        ObjectNode map = metadataMap(pod, field);
        map.removeAll();
        values.forEach(map::put);
    }

    /** {@code spec.<list>}, or null when the pod has no such list. */
    public static ArrayNode list(ObjectNode pod, String list) {
        return pod.path("spec").get(list) instanceof ArrayNode items ? items : null;
    }

    /** The item of this name in {@code spec.<list>}, or null. */
    public static ObjectNode named(ObjectNode pod, String list, String name) {
        ArrayNode items = list(pod, list);
        return items == null
                ? null
                : PodMerger.find(items, "name", Mappers.JSON.getNodeFactory().textNode(name));
    }

    /** The container of this name among the containers and init containers, or null. */
    public static ObjectNode container(ObjectNode pod, String name) {
        for (String list : CONTAINER_LISTS) {
            ObjectNode match = named(pod, list, name);
            if (match != null) {
                return match;
            }
        }
        return null;
    }

    /** Replaces the container of this name, among the containers and init containers; no-op when there is none. */
    public static void replaceContainer(ObjectNode pod, String name, JsonNode replacement) {
        for (String list : CONTAINER_LISTS) {
            ArrayNode items = list(pod, list);
            for (int i = 0; items != null && i < items.size(); i++) {
                if (name.equals(items.get(i).path("name").asText(null))) {
                    items.set(i, replacement);
                    return;
                }
            }
        }
    }

    /** Sets a variable of a container's env: every one of that name goes, and it is added at the end. */
    public static void setEnv(ObjectNode container, String name, String value) {
        if (container.get("env") instanceof ArrayNode env) {
            for (int i = env.size() - 1; i >= 0; i--) {
                if (name.equals(env.get(i).path("name").asText(null))) {
                    env.remove(i);
                }
            }
        }
        addEnv(container, name, value);
    }

    /** Adds a variable at the end of a container's env. */
    public static void addEnv(ObjectNode container, String name, String value) {
        ArrayNode env = container.get("env") instanceof ArrayNode list ? list : container.putArray("env");
        ObjectNode variable = env.addObject();
        variable.put("name", name);
        variable.put("value", value);
    }

    /**
     * Moves the item of this name to the front or the end of a list of named things; the others keep their order.
     */
    public static void move(ArrayNode items, String name, boolean first) {
        for (int i = 0; i < items.size(); i++) {
            if (name.equals(items.get(i).path("name").asText(null))) {
                JsonNode item = items.remove(i);
                if (first) {
                    items.insert(0, item);
                } else {
                    items.add(item);
                }
                return;
            }
        }
    }

    /** The names of a list's items, in order. */
    public static List<String> names(ArrayNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText(null)));
        return names;
    }

    /** A part of the pod read into the model, for a step that needs its typed form. */
    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Mappers.JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the merged pod is not a valid pod: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode child ? child : parent.putObject(field);
    }
}
