package io.sidecarinjector.merge;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.config.Mappers;

/**
 * Merges rendered fragments into a copy of a pod with Kubernetes' strategic-merge keys (containers, volumes and
 * env by name, ports by containerPort, mounts by mountPath). What the pod already declares wins: the fragment
 * only fills in what is missing, so a user's own {@code istio-proxy} keeps the user's fields (an
 * {@code image: auto} counts as missing, as in Istio).
 *
 * <p>
 * Injected init containers go before the pod's own, because traffic capture must be in place before any of
 * them runs; injected containers go after the pod's own, or before them when the proxy must start first.
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

    private PodMerger() {
    }

    /**
     * @param pod the pod; it is not modified
     * @param fragments partial pods as JSON trees, in template order; they are not modified
     * @param containersFirst put injected containers before the pod's own
     * @return a new pod, which the caller owns
     */
    public static Pod merge(Pod pod, List<ObjectNode> fragments, boolean containersFirst) {
        return merge((ObjectNode) Mappers.JSON.valueToTree(pod), fragments, containersFirst);
    }

    /**
     * @param target the pod as the JSON tree of its own serialisation; the merge writes into it
     * @param fragments partial pods as JSON trees, in template order; they are not modified
     * @param containersFirst put injected containers before the pod's own
     * @return a new pod, which the caller owns
     */
    public static Pod merge(ObjectNode target, List<ObjectNode> fragments, boolean containersFirst) {
        Map<String, Integer> insertedAtFront = new HashMap<>();
        for (ObjectNode fragment : fragments) {
            mergeObject(target, fragment, "", containersFirst, insertedAtFront);
        }
        try {
            return Mappers.JSON.treeToValue(target, Pod.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the merged pod is not a valid pod: " + e.getOriginalMessage(), e);
        }
    }

    private static void mergeObject(ObjectNode target, ObjectNode source, String path, boolean containersFirst,
            Map<String, Integer> insertedAtFront) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode incoming = field.getValue();
            JsonNode existing = target.get(name);
            String childPath = path + "/" + name;
            if (existing == null || existing.isNull() || isAutoImage(name, existing)) {
                target.set(name, incoming.deepCopy());
            } else if (existing instanceof ObjectNode existingObject && incoming instanceof ObjectNode incomingObject) {
                mergeObject(existingObject, incomingObject, childPath, containersFirst, insertedAtFront);
            } else if (existing instanceof ArrayNode existingArray && incoming instanceof ArrayNode incomingArray
                    && MERGE_KEYS.containsKey(name)) {
                boolean front = "/spec/initContainers".equals(childPath)
                        || (containersFirst && "/spec/containers".equals(childPath));
                mergeList(existingArray, incomingArray, MERGE_KEYS.get(name), front ? childPath : null, containersFirst,
                        insertedAtFront);
            }
            // anything else: the pod's own value wins
        }
    }

    /** Istio's convention: a container declared with {@code image: auto} takes the injected image. */
    private static boolean isAutoImage(String field, JsonNode value) {
        return "image".equals(field) && "auto".equals(value.asText());
    }

    private static void mergeList(ArrayNode target, ArrayNode source, String key, String frontPath,
            boolean containersFirst, Map<String, Integer> insertedAtFront) {
        for (JsonNode item : source) {
            JsonNode id = item.get(key);
            ObjectNode match = id == null ? null : find(target, key, id);
            if (match != null && item instanceof ObjectNode itemObject) {
                mergeObject(match, itemObject, "", containersFirst, insertedAtFront);
            } else if (frontPath != null) {
                int at = insertedAtFront.merge(frontPath, 1, Integer::sum) - 1;
                target.insert(at, item.deepCopy());
            } else {
                target.add(item.deepCopy());
            }
        }
    }

    private static ObjectNode find(ArrayNode list, String key, JsonNode id) {
        for (JsonNode element : list) {
            if (element instanceof ObjectNode object && id.equals(object.get(key))) {
                return object;
            }
        }
        return null;
    }
}
