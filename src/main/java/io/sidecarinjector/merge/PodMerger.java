package io.sidecarinjector.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Lays a partial pod over a pod, with the rules of Kubernetes' strategic merge that Istio applies to its
 * templates: mappings merge key by key, lists of named things merge item by item (containers, volumes and env by
 * name, ports by containerPort, mounts by mountPath, new items at the end), anything else in the overlay replaces
 * what the pod had. Works on JSON trees in the form of a pod's own serialisation.
 */
public final class PodMerger {

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "initContainers", "name",
            "containers", "name",
            "volumes", "name",
            "imagePullSecrets", "name",
            "env", "name",
            "ports", "containerPort",
            "volumeMounts", "mountPath");

    private PodMerger() {}

    /**
     * @param target the tree the overlay is written into
     * @param overlay a partial tree; it is not modified
     */
    public static void overlay(ObjectNode target, ObjectNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode incoming = field.getValue();
            JsonNode existing = target.get(name);
            if (incoming == null || incoming.isNull()) {
                continue;
            }
            if (existing instanceof ObjectNode existingObject && incoming instanceof ObjectNode incomingObject) {
                overlay(existingObject, incomingObject);
            } else if (existing instanceof ArrayNode existingList
                    && incoming instanceof ArrayNode incomingList
                    && MERGE_KEYS.containsKey(name)) {
                mergeList(existingList, incomingList, MERGE_KEYS.get(name));
            } else {
                target.set(name, incoming.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode source, String key) {
        for (JsonNode item : source) {
            JsonNode id = item.get(key);
            ObjectNode match = id == null ? null : find(target, key, id);
            if (match != null && item instanceof ObjectNode itemObject) {
                overlay(match, itemObject);
            } else {
                target.add(item.deepCopy());
            }
        }
    }

    /** The item of a list of objects whose key field has this value, or null. */
    public static ObjectNode find(ArrayNode list, String key, JsonNode id) {
        for (JsonNode element : list) {
            if (element instanceof ObjectNode object && id.equals(object.get(key))) {
                return object;
            }
        }
        return null;
    }
}
