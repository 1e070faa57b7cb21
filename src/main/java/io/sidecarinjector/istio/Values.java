package io.sidecarinjector.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Istio's Helm values as the injector's ConfigMap carries them (key {@code values}), merged over the built-in
 * defaults. Read by dotted path, as Istio's templates read {@code .Values}; values no template reads are kept and
 * ignored.
 */
public final class Values {

    private final ObjectNode tree;
    private final java.util.function.Consumer<String> observer;
    /** Lookups by path, kept: the values never change, and every injection reads the same few dozen paths. */
    private final java.util.Map<String, JsonNode> lookups = new java.util.concurrent.ConcurrentHashMap<>();
    /** Texts made from the values, kept by what else they depend on (see {@link #derived}). */
    private final java.util.Map<Object, String> derived = new java.util.concurrent.ConcurrentHashMap<>();

    /** How many derived texts are kept: their keys are few in a configuration, unless pods make them vary. */
    static final int DERIVED_TEXTS = 256;

    Values(ObjectNode tree) {
        this(tree, path -> {});
    }

    private Values(ObjectNode tree, java.util.function.Consumer<String> observer) {
        this.tree = tree;
        this.observer = observer;
    }

    /** The same values, telling the observer each path read: which values take effect, for {@code check-config}. */
    public Values observed(java.util.function.Consumer<String> observer) {
        return new Values(tree, observer);
    }

    /**
     * A text made from these values and the key alone, made once: the parts of an injection that only the
     * configuration decides (a security context, the proxy's arguments) are the same for every pod. The key must
     * hold everything besides the values that the text depends on.
     */
    public String derived(Object key, java.util.function.Supplier<String> make) {
        String known = derived.get(key);
        if (known != null) {
            return known;
        }
        String made = make.get();
        if (derived.size() < DERIVED_TEXTS) {
            derived.put(key, made);
        }
        return made;
    }

    /** The node at a dotted path ({@code global.proxy.image}), or a missing node. */
    public JsonNode node(String path) {
        observer.accept(path);
        return lookups.computeIfAbsent(path, this::lookUp);
    }

    private JsonNode lookUp(String path) {
        JsonNode node = tree;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /**
     * The value at a path as Go's templates print it: text as it is, a whole number without a fraction, empty when
     * absent or null.
     */
    public String text(String path) {
        return text(node(path));
    }

    public static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (node.isNumber() && node.canConvertToExactIntegral()) {
            return String.valueOf(node.longValue());
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Whether the value at a path is true as Go's templates test it: set, and not false, zero or empty. */
    public boolean truthy(String path) {
        JsonNode node = node(path);
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        if (node.isContainerNode()) {
            return !node.isEmpty();
        }
        return !node.asText().isEmpty();
    }

    /** Whether the value at a path is the boolean true, or the text {@code true}. */
    public boolean isTrue(String path) {
        JsonNode node = node(path);
        return node.isBoolean() ? node.booleanValue() : "true".equals(node.asText());
    }

    /** The boolean at a path, when it is set. */
    public Optional<Boolean> bool(String path) {
        JsonNode node = node(path);
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return Optional.of(Boolean.parseBoolean(node.asText()));
        }
        return Optional.empty();
    }

    /** A list of strings at a path; empty when absent. */
    public List<String> strings(String path) {
        List<String> strings = new ArrayList<>();
        node(path).forEach(n -> strings.add(text(n)));
        return strings;
    }

    public ObjectNode tree() {
        return tree.deepCopy();
    }
}
