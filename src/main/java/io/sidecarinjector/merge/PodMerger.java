package io.sidecarinjector.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Lays a partial pod over a pod, with the rules of Kubernetes' strategic merge that Istio applies to its
 * templates: mappings merge key by key, lists of named things merge item by item (containers, volumes and env by
 * name, ports by containerPort, mounts by mountPath, new items at the end), anything else in the overlay replaces
 * what the pod had. Works on pods held as JSON trees.
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
     * Lays the overlay over the target. What the target lacks is taken from the overlay as it is, not copied: a
     * rendered template's fragment is {@link SharedTree shared}, so no pod can change what it took; what the target
     * has is merged into the target's own copy of it.
     *
     * @param target the tree the overlay is written into, the pod's own at its first level
     * @param overlay a partial tree; it is not modified, and its parts end up in the target: a shared tree, or one
     *     that nobody changes afterwards
     */
    public static void overlay(ObjectNode target, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            String name = field.getKey();
            JsonNode incoming = field.getValue();
            JsonNode existing = target.get(name);
            if (incoming == null || incoming.isNull()) {
                continue;
            }
            String key = MERGE_KEYS.get(name);
            if (existing instanceof ObjectNode && incoming instanceof ObjectNode incomingObject) {
                overlay(PodTree.ownObject(target, name), incomingObject);
            } else if (existing instanceof ArrayNode && incoming instanceof ArrayNode incomingList && key != null) {
                mergeList(PodTree.ownArray(target, name), incomingList, key);
            } else {
                target.set(name, incoming);
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode source, String key) {
        for (JsonNode item : source) {
            JsonNode id = item.get(key);
            int match = id == null ? -1 : indexOf(target, key, id);
            if (match >= 0 && item instanceof ObjectNode itemObject) {
                overlay(PodTree.ownItem(target, match), itemObject);
            } else {
                target.add(item);
            }
        }
    }

    /** Where the item of a list of objects whose key field has this value is, or -1. */
    static int indexOf(ArrayNode list, String key, JsonNode id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof ObjectNode object && id.equals(object.get(key))) {
                return i;
            }
        }
        return -1;
    }
}
