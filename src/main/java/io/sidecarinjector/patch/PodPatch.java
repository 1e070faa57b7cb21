package io.sidecarinjector.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.support.Mappers;

/** The RFC 6902 JSON Patch that turns one pod into another, computed as their difference. */
public final class PodPatch {

    private PodPatch() {}

    /**
     * The pod as the patch sees it. managedFields is dropped: it can be large, injection never changes it, and
     * a diff must not walk it.
     */
    public static ObjectNode tree(Pod pod) {
        return withoutManagedFields(Mappers.JSON.valueToTree(pod));
    }

    /** The tree without metadata.managedFields; the tree itself is not changed, and shares the rest. */
    private static ObjectNode withoutManagedFields(ObjectNode tree) {
        if (!(tree.get("metadata") instanceof ObjectNode metadata) || !metadata.has("managedFields")) {
            return tree;
        }
        ObjectNode copy = tree.objectNode();
        tree.fields().forEachRemaining(e -> copy.set(e.getKey(), e.getValue()));
        ObjectNode metadataCopy = copy.putObject("metadata");
        metadata.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("managedFields")) {
                metadataCopy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    /**
     * Only add, remove and replace operations: move and copy are valid but make patches harder to read in an
     * audit log and to reason about (see {@link TreeDiff}).
     */
    public static ArrayNode diff(Pod original, Pod mutated) {
        return diff(tree(original), tree(mutated));
    }

    /** The same, between two pods held as JSON trees; neither is changed. */
    public static ArrayNode diff(ObjectNode original, ObjectNode mutated) {
        return TreeDiff.of(withoutManagedFields(original), withoutManagedFields(mutated));
    }

    /** Applies a patch to a document; used to prove that a patch yields the mutated pod. */
    public static JsonNode apply(JsonNode patch, JsonNode document) {
        return io.fabric8.zjsonpatch.JsonPatch.apply(patch, document);
    }
}
