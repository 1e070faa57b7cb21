package io.sidecarinjector.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the injection and mesh documents and merges each over its built-in default
 * ({@code defaults/injection.yaml}, {@code defaults/mesh.yaml}): a mapping merges key by key, anything else
 * (a list, a scalar) replaces the default.
 */
public final class ConfigDocuments {

    static final String INJECTION_DEFAULTS = "defaults/injection.yaml";
    static final String MESH_DEFAULTS = "defaults/mesh.yaml";
    private static final Set<String> POLICIES = Set.of("enabled", "disabled");
    /*
     * The built-in documents are read once, not at every reload; in the native executable this initialiser runs
     * while the image is built, so the start does not parse them at all.
     */
    private static final ObjectNode INJECTION_DEFAULTS_TREE = builtIn(INJECTION_DEFAULTS);
    private static final ObjectNode MESH_DEFAULTS_TREE = builtIn(MESH_DEFAULTS);

    private ConfigDocuments() {
    }

    /** The built-in configuration alone. */
    public static InjectorConfig defaults() {
        try {
            return load(Optional.empty(), Optional.empty());
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("the built-in configuration is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * @param injectionYaml the injection document with the name it is reported under, or empty for defaults only
     * @param meshYaml the mesh document with the name it is reported under, or empty for defaults only
     */
    public static InjectorConfig load(Optional<Document> injectionYaml, Optional<Document> meshYaml)
            throws InvalidConfigException {
        ObjectNode injectionTree = merged(INJECTION_DEFAULTS_TREE, injectionYaml);
        ObjectNode meshTree = merged(MESH_DEFAULTS_TREE, meshYaml);
        InjectionConfig injection = bind(injectionTree, InjectionConfig.class, name(injectionYaml, INJECTION_DEFAULTS));
        MeshConfig mesh = bind(meshTree, MeshConfig.class, name(meshYaml, MESH_DEFAULTS));
        if (!POLICIES.contains(injection.policy())) {
            throw new InvalidConfigException(name(injectionYaml, INJECTION_DEFAULTS) + ": key 'policy': value '"
                    + injection.policy() + "' is not one of enabled, disabled");
        }
        return new InjectorConfig(injection, mesh, revision(injectionTree, meshTree));
    }

    /** A document's text and the name (usually a file path) its errors are reported under. */
    public record Document(String name, String text) {
    }

    private static String name(Optional<Document> doc, String fallback) {
        return doc.map(Document::name).orElse(fallback);
    }

    private static ObjectNode builtIn(String name) {
        try {
            if (parse(new Document(name, resource(name))) instanceof ObjectNode tree) {
                return tree;
            }
            throw new IllegalStateException("built-in document " + name + " is not a YAML mapping");
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("built-in document " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    /** The defaults (copied, never changed) with the document's keys merged over them. */
    private static ObjectNode merged(ObjectNode defaults, Optional<Document> override) throws InvalidConfigException {
        ObjectNode base = defaults.deepCopy();
        if (override.isEmpty()) {
            return base;
        }
        JsonNode user = parse(override.get());
        if (user.isMissingNode() || user.isNull()) {
            return base;
        }
        if (!user.isObject()) {
            throw new InvalidConfigException(override.get().name() + ": the document is not a YAML mapping");
        }
        mergeInto(base, (ObjectNode) user);
        return base;
    }

    private static JsonNode parse(Document doc) throws InvalidConfigException {
        if (doc.text().isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = Mappers.STRICT_YAML.readTree(doc.text());
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(doc.name() + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void mergeInto(ObjectNode base, ObjectNode user) {
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode baseChild && field.getValue() instanceof ObjectNode userChild) {
                mergeInto(baseChild, userChild);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static <T> T bind(ObjectNode tree, Class<T> type, String documentName) throws InvalidConfigException {
        try {
            return Mappers.STRICT_YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidConfigException(documentName + ": unknown key '" + e.getPropertyName() + "' at "
                    + pathOf(e), e);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(documentName + ": key '" + pathOf(e) + "': "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String pathOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            StringBuilder path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return path.isEmpty() ? "(top level)" : path.toString();
        }
        return "(unknown)";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
    }

    private static String revision(JsonNode injection, JsonNode mesh) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Mappers.JSON.writeValueAsBytes(injection));
            digest.update((byte) 0);
            digest.update(Mappers.JSON.writeValueAsBytes(mesh));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the configuration", e);
        }
    }

    /**
     * A text resource built into the application (UTF-8); its absence is a broken build. Looked up through this
     * class rather than its loader: a native image then searches the one module instead of every module it holds.
     */
    public static String resource(String name) {
        try (InputStream in = ConfigDocuments.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
