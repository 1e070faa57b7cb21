package io.sidecarinjector.istio;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.support.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The field names of Istio's MeshConfig and ProxyConfig and the type of each (resource
 * {@code istio/mesh-schema.json}). A document is checked against it before it is used: a key Istio does not know is
 * an error that names the key and its line, since a misspelt setting must not pass silently. Keys are accepted in
 * Istio's JSON names (camelCase) and in the proto names (snake_case), as Istio accepts both.
 */
public final class MeshSchema {

    private static final JsonNode TYPES = load();
    private static final Pattern DURATION = Pattern.compile("-?([0-9]+(\\.[0-9]*)?(h|m|s|ms|us|µs|ns))+");

    private MeshSchema() {}

    /** Checks a whole MeshConfig document. */
    public static void checkMeshConfig(YamlTree document) throws InvalidConfigException {
        check(document, document.tree(), "MeshConfig", "");
    }

    /**
     * Checks a ProxyConfig given on its own (the {@code proxy.istio.io/config} annotation, a ProxyConfig resource's
     * spec).
     */
    public static void checkProxyConfig(YamlTree document) throws InvalidConfigException {
        check(document, document.tree(), "ProxyConfig", "");
    }

    /**
     * A copy of a checked document with every field under its JSON name ({@code status_port} becomes
     * {@code statusPort}); map keys (proxyMetadata's variables) are kept as written.
     */
    public static JsonNode normalized(JsonNode node, String type) {
        JsonNode fields = TYPES.get(type);
        if (fields == null || !node.isObject()) {
            return node.deepCopy();
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = Mappers.JSON.createObjectNode();
        node.fields().forEachRemaining(entry -> {
            String name = jsonName(entry.getKey());
            JsonNode fieldType = fields.get(name);
            JsonNode value = entry.getValue();
            if (fieldType == null || value.isNull()) {
                copy.set(name, value.deepCopy());
            } else if (fieldType.isArray() && value.isArray()) {
                com.fasterxml.jackson.databind.node.ArrayNode items = copy.putArray(name);
                value.forEach(
                        item -> items.add(normalized(item, fieldType.get(0).asText())));
            } else if (fieldType.isObject() && value.isObject()) {
                com.fasterxml.jackson.databind.node.ObjectNode map = copy.putObject(name);
                value.fields()
                        .forEachRemaining(e -> map.set(
                                e.getKey(),
                                normalized(e.getValue(), fieldType.get("*").asText())));
            } else {
                copy.set(name, normalized(value, fieldType.asText()));
            }
        });
        return copy;
    }

    private static void check(YamlTree doc, JsonNode node, String type, String pointer) throws InvalidConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        switch (type) {
            case "any" -> {}
            case "string", "enum" -> scalar(doc, node, pointer, type);
            case "int", "number" -> {
                if (!node.isNumber() && !(node.isTextual() && node.asText().matches("-?[0-9.eE+-]+"))) {
                    throw wrong(doc, pointer, "a number", node);
                }
            }
            case "bool" -> {
                if (!node.isBoolean() && !(node.isTextual() && node.asText().matches("true|false"))) {
                    throw wrong(doc, pointer, "true or false", node);
                }
            }
            case "duration" -> {
                if (!(node.isTextual() && DURATION.matcher(node.asText()).matches()) && !node.isNumber()) {
                    throw wrong(doc, pointer, "a duration such as 5s", node);
                }
            }
            default -> message(doc, node, type, pointer);
        }
    }

    private static void message(YamlTree doc, JsonNode node, String type, String pointer)
            throws InvalidConfigException {
        JsonNode fields = TYPES.get(type);
        if (fields == null) {
            throw new IllegalStateException("the built-in schema has no message " + type);
        }
        if (!node.isObject()) {
            throw wrong(doc, pointer, "a mapping (" + type + ")", node);
        }
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            String childPointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
            JsonNode fieldType = fields.get(jsonName(key));
            if (fieldType == null) {
                throw new InvalidConfigException(doc.where(childPointer) + ": unknown key '" + path(childPointer)
                        + "': " + type + " has no field of that name");
            }
            value(doc, entry.getValue(), fieldType, childPointer);
        }
    }

    private static void value(YamlTree doc, JsonNode node, JsonNode fieldType, String pointer)
            throws InvalidConfigException {
        if (node == null || node.isNull()) {
            return;
        }
        if (fieldType.isArray()) {
            if (!node.isArray()) {
                throw wrong(doc, pointer, "a list", node);
            }
            for (int i = 0; i < node.size(); i++) {
                check(doc, node.get(i), fieldType.get(0).asText(), pointer + "/" + i);
            }
        } else if (fieldType.isObject()) {
            if (!node.isObject()) {
                throw wrong(doc, pointer, "a mapping", node);
            }
            String valueType = fieldType.get("*").asText();
            Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                check(doc, entry.getValue(), valueType, pointer + "/" + entry.getKey());
            }
        } else {
            check(doc, node, fieldType.asText(), pointer);
        }
    }

    private static void scalar(YamlTree doc, JsonNode node, String pointer, String type) throws InvalidConfigException {
        if (!node.isValueNode()) {
            throw wrong(doc, pointer, "enum".equals(type) ? "one of the field's names" : "a string", node);
        }
    }

    private static InvalidConfigException wrong(YamlTree doc, String pointer, String expected, JsonNode actual) {
        return new InvalidConfigException(doc.where(pointer) + ": key '" + path(pointer) + "': expected " + expected
                + ", got " + actual.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code /defaultConfig/proxyMetadata} as {@code defaultConfig.proxyMetadata}. */
    static String path(String pointer) {
        return pointer.isEmpty() ? "(top level)" : pointer.substring(1).replace('/', '.');
    }

    /** A proto field name ({@code status_port}) as its JSON name ({@code statusPort}). */
    static String jsonName(String key) {
        if (key.indexOf('_') < 0) {
            return key;
        }
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static JsonNode load() {
        try (InputStream in = MeshSchema.class.getResourceAsStream("/istio/mesh-schema.json")) {
            if (in == null) {
                throw new IllegalStateException("built-in resource istio/mesh-schema.json is missing from the build");
            }
            return Mappers.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
