package io.sidecarinjector.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sidecarinjector.support.Mappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and edits a pod held as a JSON tree, the form the pipeline works on from the merge to the patch: the few
 * paths the steps after the merge touch (metadata maps, containers, their env), so that the whole pod need not be
 * turned into the model and back. Parts of an injected pod are shared with the rendered templates
 * ({@link SharedTree}): what a step changes it reaches through the methods here that return the pod's own copy
 * ({@link #metadataMap}, {@link #ownList}, {@link #ownContainer}, ...), never through a plain {@code get}.
 */
public final class PodTree {

    /** The pod's container lists, init containers first, as the kubelet starts them. */
    public static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");

    private PodTree() {}

    /** {@code metadata.<field>} (labels, annotations), the pod's own to change; made when the pod has none. */
    public static ObjectNode metadataMap(ObjectNode pod, String field) {
        ObjectNode metadata = ownObject(pod, "metadata");
        return ownObject(metadata, field);
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

    /** {@code spec.<list>}, to read, or null when the pod has no such list. */
    public static ArrayNode list(ObjectNode pod, String list) {
        return pod.path("spec").get(list) instanceof ArrayNode items ? items : null;
    }

    /** {@code spec.<list>}, the pod's own to change (its items may still be shared), or null when it has none. */
    public static ArrayNode ownList(ObjectNode pod, String list) {
        if (list(pod, list) == null) {
            return null;
        }
        return ownArray(ownObject(pod, "spec"), list);
    }

    /** The item of this name in {@code spec.<list>}, or null. */
    public static ObjectNode named(ObjectNode pod, String list, String name) {
        ArrayNode items = list(pod, list);
        int index = indexOf(items, name);
        return index < 0 ? null : (ObjectNode) items.get(index);
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

    /**
     * The container of this name among the containers and init containers, the pod's own to change (its fields
     * may still be shared), or null.
     */
    public static ObjectNode ownContainer(ObjectNode pod, String name) {
        for (String list : CONTAINER_LISTS) {
            int index = indexOf(list(pod, list), name);
            if (index >= 0) {
                return ownItem(ownList(pod, list), index);
            }
        }
        return null;
    }

    /** Replaces the container of this name, among the containers and init containers; no-op when there is none. */
    public static void replaceContainer(ObjectNode pod, String name, JsonNode replacement) {
        for (String list : CONTAINER_LISTS) {
            int index = indexOf(list(pod, list), name);
            if (index >= 0) {
                ownList(pod, list).set(index, replacement);
                return;
            }
        }
    }

    /** Where the item of this name is in a list of named things, or -1 (also when there is no list). */
    public static int indexOf(ArrayNode items, String name) {
        return items == null ? -1 : PodMerger.indexOf(items, "name", TextNode.valueOf(name));
    }

    /**
     * Sets a variable of a container's env: every one of that name goes, and it is added at the end.
     *
     * @param container a container of the pod's own ({@link #ownContainer})
     */
    public static void setEnv(ObjectNode container, String name, String value) {
        if (container.get("env") instanceof ArrayNode) {
            ArrayNode env = ownArray(container, "env");
            for (int i = env.size() - 1; i >= 0; i--) {
                if (name.equals(env.get(i).path("name").asText(null))) {
                    env.remove(i);
                }
            }
        }
        addEnv(container, name, value);
    }

    /**
     * Adds a variable at the end of a container's env.
     *
     * @param container a container of the pod's own ({@link #ownContainer})
     */
    public static void addEnv(ObjectNode container, String name, String value) {
        ArrayNode env =
                container.get("env") instanceof ArrayNode ? ownArray(container, "env") : container.putArray("env");
        ObjectNode variable = env.addObject();
        variable.put("name", name);
        variable.put("value", value);
    }

    /**
     * Moves the item of this name to the front or the end of a list of named things; the others keep their order.
     *
     * @param items a list of the pod's own ({@link #ownList})
     */
    public static void move(ArrayNode items, String name, boolean first) {
        int index = indexOf(items, name);
        if (index < 0) {
            return;
        }
        JsonNode item = items.remove(index);
        if (first) {
            items.insert(0, item);
        } else {
            items.add(item);
        }
    }

    /** The names of a list's items, in order. */
    public static List<String> names(ArrayNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText(null)));
        return names;
    }

    /**
     * A deep copy, as {@link JsonNode#deepCopy()} makes, with each mapping and list sized for what it holds: Jackson's
     * own copy grows every one of them from the default size, and a pod is mostly small mappings. Values are
     * immutable and shared.
     */
    @SuppressWarnings("unchecked")
    public static <T extends JsonNode> T copy(T node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> fields = new LinkedHashMap<>(capacity(object.size()));
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                fields.put(field.getKey(), copy(field.getValue()));
            }
            return (T) new ObjectNode(Mappers.JSON.getNodeFactory(), fields);
        }
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>(array.size());
            for (JsonNode item : array) {
                items.add(copy(item));
            }
            return (T) new ArrayNode(Mappers.JSON.getNodeFactory(), items);
        }
        return node;
    }

    /** A hash map's capacity that holds this many entries without growing. */
    static int capacity(int entries) {
        return entries < 3 ? entries + 1 : (int) (entries / 0.75f) + 1;
    }

    /** A part of the pod read into the model, for a step that needs its typed form. */
    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Mappers.JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the merged pod is not a valid pod: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The mapping at {@code parent.<field>}, the pod's own to change: a shared one is replaced by a copy of its first
     * level, and one is made when there is none (or something else is there).
     *
     * @param parent a mapping of the pod's own
     */
    public static ObjectNode ownObject(ObjectNode parent, String field) {
        JsonNode child = parent.get(field);
        if (child instanceof ObjectNode object) {
            if (!SharedTree.isShared(object)) {
                return object;
            }
            ObjectNode own = SharedTree.ownCopy(object);
            parent.set(field, own);
            return own;
        }
        return parent.putObject(field);
    }

    /**
     * The list at {@code parent.<field>}, the pod's own to change: a shared one is replaced by a copy of its first
     * level.
     *
     * @param parent a mapping of the pod's own, holding a list at that field
     */
    static ArrayNode ownArray(ObjectNode parent, String field) {
        ArrayNode list = (ArrayNode) parent.get(field);
        if (!SharedTree.isShared(list)) {
            return list;
        }
        ArrayNode own = SharedTree.ownCopy(list);
        parent.set(field, own);
        return own;
    }

    /**
     * The mapping at {@code items[index]}, the pod's own to change: a shared one is replaced by a copy of its first
     * level.
     *
     * @param items a list of the pod's own
     */
    static ObjectNode ownItem(ArrayNode items, int index) {
        ObjectNode item = (ObjectNode) items.get(index);
        if (!SharedTree.isShared(item)) {
            return item;
        }
        ObjectNode own = SharedTree.ownCopy(item);
        items.set(index, own);
        return own;
    }
}
