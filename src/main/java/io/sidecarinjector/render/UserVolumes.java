package io.sidecarinjector.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The volumes and mounts a pod adds to its proxy through {@code sidecar.istio.io/userVolume} and
 * {@code sidecar.istio.io/userVolumeMount}: a JSON object of name to definition, each rendered as one JSON item
 * with its name first. The annotations were validated before rendering.
 */
final class UserVolumes {

    private UserVolumes() {}

    static List<String> of(Map<String, String> annotations, String annotation) {
        String text = annotations.get(annotation);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        JsonNode byName;
        try {
            byName = Mappers.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = byName.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ObjectNode item = Mappers.JSON.createObjectNode();
            item.put("name", field.getKey());
            if (field.getValue() instanceof ObjectNode definition) {
                definition.fields().forEachRemaining(e -> {
                    if (!"name".equals(e.getKey())) {
                        item.set(e.getKey(), e.getValue());
                    }
                });
            }
            items.add(Mappers.yamlSafeJson(item));
        }
        return items;
    }
}
