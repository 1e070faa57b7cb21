package io.sidecarinjector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Lays one JSON mapping over another, key by key and mappings within mappings; anything else in the overlay replaces
 * what the base had. What a null in the overlay means differs between Istio's documents, so it is the caller's
 * choice.
 */
public final class JsonMerge {

    /** What a null in the overlay does. */
    public enum Null {
        /** it is the value (MeshConfig and the injection config, as YAML reads them) */
        SET,
        /** it removes the key (Helm's values) */
        REMOVES,
        /** it says nothing (a ProxyConfig laid over another) */
        IGNORED
    }

    private JsonMerge() {}

    /**
     * @param base written into
     * @param overlay read; its nodes are shared with the base, not copied
     * @param whole keys whose mappings replace the base's rather than merge into it
     */
    public static void into(ObjectNode base, ObjectNode overlay, Null nulls, Set<String> whole) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode incoming = field.getValue();
            if (incoming.isNull() && nulls != Null.SET) {
                if (nulls == Null.REMOVES) {
                    base.remove(field.getKey());
                }
            } else if (base.get(field.getKey()) instanceof ObjectNode existing
                    && incoming instanceof ObjectNode child
                    && !whole.contains(field.getKey())) {
                into(existing, child, nulls, whole);
            } else {
                base.set(field.getKey(), incoming);
            }
        }
    }
}
