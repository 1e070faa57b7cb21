package io.sidecarinjector.merge;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trees that many pods share and none may change. A rendered template's fragment is laid into every pod injected
 * with it without being copied ({@link PodMerger}), so its mappings and lists are made unmodifiable here; a step
 * that changes a pod first takes its own copy of the shared mapping or list it changes, one level at a time
 * ({@link PodTree}'s {@code own...} methods), and a change attempted on a shared part throws
 * {@link UnsupportedOperationException} instead of changing every pod injected after it.
 */
public final class SharedTree {

    private static final JsonNodeFactory NODES = Mappers.JSON.getNodeFactory();

    private SharedTree() {}

    /** The same tree, unmodifiable at every level; scalars are immutable already and stay as they are. */
    public static ObjectNode of(ObjectNode tree) {
        return (ObjectNode) freeze(tree);
    }

    /** Whether a node is a shared mapping or list, which a pod must copy before changing it. */
    static boolean isShared(JsonNode node) {
        return node instanceof SharedObject || node instanceof SharedArray;
    }

    /** A mapping this pod may change, holding the same values: the first level of a shared one, copied. */
    static ObjectNode ownCopy(ObjectNode shared) {
        Map<String, JsonNode> fields = new LinkedHashMap<>(PodTree.capacity(shared.size() + 1));
        for (Map.Entry<String, JsonNode> field : shared.properties()) {
            fields.put(field.getKey(), field.getValue());
        }
        return new ObjectNode(NODES, fields);
    }

    /** A list this pod may change, holding the same items: the first level of a shared one, copied. */
    static ArrayNode ownCopy(ArrayNode shared) {
        List<JsonNode> items = new ArrayList<>(shared.size() + 1);
        shared.forEach(items::add);
        return new ArrayNode(NODES, items);
    }

    private static JsonNode freeze(JsonNode node) {
        if (node instanceof ObjectNode object && !(node instanceof SharedObject)) {
            Map<String, JsonNode> fields = new LinkedHashMap<>(PodTree.capacity(object.size()));
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                fields.put(field.getKey(), freeze(field.getValue()));
            }
            return new SharedObject(new FixedMap(fields));
        }
        if (node instanceof ArrayNode array && !(node instanceof SharedArray)) {
            List<JsonNode> items = new ArrayList<>(array.size());
            for (JsonNode item : array) {
                items.add(freeze(item));
            }
            return new SharedArray(new FixedList(items));
        }
        return node;
    }

    /** A mapping whose fields cannot change. Equal to, and written as, any mapping with the same fields. */
    private static final class SharedObject extends ObjectNode {
        private final WrittenForm written = new WrittenForm();

        SharedObject(FixedMap fields) {
            super(NODES, fields);
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            if (!written.writeRaw(g, provider, out -> super.serialize(out, provider))) {
                super.serialize(g, provider);
            }
        }
    }

    /** A list whose items cannot change. Equal to, and written as, any list with the same items. */
    private static final class SharedArray extends ArrayNode {
        private final WrittenForm written = new WrittenForm();

        SharedArray(FixedList items) {
            super(NODES, items);
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            if (!written.writeRaw(g, provider, out -> super.serialize(out, provider))) {
                super.serialize(g, provider);
            }
        }
    }

    /** Where a node's JSON is written to be kept. */
    private static final class KeptForm extends ByteArrayOutputStream {}

    /** Writes a shared node's contents to a generator. */
    @FunctionalInterface
    private interface Contents {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /**
     * A shared node's JSON, kept once the node has been written twice: every pod injected with one fragment has
     * the same parts of it in its patch (the init container, the volumes, most of the proxy's fields), and copying
     * their bytes is much cheaper than writing them field by field. Kept only for the plain compact JSON of the
     * project's mapper (the patch): the generator and the serializer's settings must be the ones the bytes were
     * written with, so pretty, escaped or YAML output is written as usual. The parts of a node whose JSON is being
     * kept are written as usual too, so that a fragment keeps about its own size in JSON, not that once per level.
     */
    private static final class WrittenForm {
        private static final int PLAIN_FEATURES;

        static {
            try (JsonGenerator g = Mappers.JSON.createGenerator(new ByteArrayBuilder())) {
                PLAIN_FEATURES = g.getFeatureMask();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private volatile boolean writtenOnce;
        private volatile SerializedString json;

        /** @return whether the node was written from its kept JSON */
        boolean writeRaw(JsonGenerator g, SerializerProvider provider, Contents contents) throws IOException {
            if (!plain(g, provider)) {
                return false;
            }
            SerializedString kept = json;
            if (kept == null) {
                if (!writtenOnce) {
                    writtenOnce = true;
                    return false;
                }
                KeptForm out = new KeptForm();
                try (JsonGenerator own = Mappers.JSON.createGenerator(out)) {
                    contents.writeTo(own);
                }
                kept = new SerializedString(out.toString(StandardCharsets.UTF_8));
                json = kept;
            }
            g.writeRawValue(kept);
            return true;
        }

        private static boolean plain(JsonGenerator g, SerializerProvider provider) {
            return provider != null
                    && g.getClass() == UTF8JsonGenerator.class
                    && !(g.getOutputTarget() instanceof KeptForm)
                    && g.getFeatureMask() == PLAIN_FEATURES
                    && g.getPrettyPrinter() == null
                    && g.getCharacterEscapes() == null
                    && g.getHighestEscapedChar() == 0
                    && provider.isEnabled(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS)
                    && provider.isEnabled(JsonNodeFeature.WRITE_NULL_PROPERTIES)
                    && !provider.isEnabled(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
        }
    }

    private static UnsupportedOperationException shared() {
        return new UnsupportedOperationException(
                "a part of a rendered template, shared by every pod injected with it, cannot be changed: "
                        + "take the pod's own copy first (PodTree.own...)");
    }

    /**
     * A map that refuses changes but is read as fast as the map it copies: {@link Collections#unmodifiableMap} would
     * wrap every entry of every pass over its entries, and a pod's tree is passed over again and again (merge, diff,
     * writing). So its entries are not wrapped: removing through them ({@code ObjectNode.retain}) or setting one is
     * not refused; nothing in the pipeline does either. Its keys and values are unmodifiable views.
     */
    private static final class FixedMap extends LinkedHashMap<String, JsonNode> {
        FixedMap(Map<String, JsonNode> fields) {
            super(PodTree.capacity(fields.size()));
            super.putAll(fields);
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            throw shared();
        }

        @Override
        public void putAll(Map<? extends String, ? extends JsonNode> m) {
            throw shared();
        }

        @Override
        public JsonNode putIfAbsent(String key, JsonNode value) {
            throw shared();
        }

        @Override
        public JsonNode remove(Object key) {
            throw shared();
        }

        @Override
        public boolean remove(Object key, Object value) {
            throw shared();
        }

        @Override
        public JsonNode replace(String key, JsonNode value) {
            throw shared();
        }

        @Override
        public boolean replace(String key, JsonNode oldValue, JsonNode newValue) {
            throw shared();
        }

        @Override
        public void replaceAll(java.util.function.BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            throw shared();
        }

        @Override
        public JsonNode compute(
                String key, java.util.function.BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            throw shared();
        }

        @Override
        public JsonNode computeIfAbsent(String key, java.util.function.Function<? super String, ? extends JsonNode> f) {
            throw shared();
        }

        @Override
        public JsonNode computeIfPresent(
                String key, java.util.function.BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            throw shared();
        }

        @Override
        public JsonNode merge(
                String key,
                JsonNode value,
                java.util.function.BiFunction<? super JsonNode, ? super JsonNode, ? extends JsonNode> f) {
            throw shared();
        }

        @Override
        public void clear() {
            throw shared();
        }

        @Override
        public java.util.Set<String> keySet() {
            return Collections.unmodifiableSet(super.keySet());
        }

        @Override
        public java.util.Collection<JsonNode> values() {
            return Collections.unmodifiableCollection(super.values());
        }
    }

    /** A list that refuses changes and is read as the list it copies. */
    private static final class FixedList extends ArrayList<JsonNode> {
        FixedList(List<JsonNode> items) {
            super(items);
        }

        @Override
        public boolean add(JsonNode item) {
            throw shared();
        }

        @Override
        public void add(int index, JsonNode item) {
            throw shared();
        }

        @Override
        public boolean addAll(java.util.Collection<? extends JsonNode> items) {
            throw shared();
        }

        @Override
        public boolean addAll(int index, java.util.Collection<? extends JsonNode> items) {
            throw shared();
        }

        @Override
        public JsonNode set(int index, JsonNode item) {
            throw shared();
        }

        @Override
        public JsonNode remove(int index) {
            throw shared();
        }

        @Override
        public boolean remove(Object item) {
            throw shared();
        }

        @Override
        public boolean removeAll(java.util.Collection<?> items) {
            throw shared();
        }

        @Override
        public boolean retainAll(java.util.Collection<?> items) {
            throw shared();
        }

        @Override
        public boolean removeIf(java.util.function.Predicate<? super JsonNode> filter) {
            throw shared();
        }

        @Override
        public void replaceAll(java.util.function.UnaryOperator<JsonNode> operator) {
            throw shared();
        }

        @Override
        public void sort(java.util.Comparator<? super JsonNode> c) {
            throw shared();
        }

        @Override
        public void clear() {
            throw shared();
        }
    }
}
