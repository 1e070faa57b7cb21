package io.sidecarinjector.istio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.support.JsonMerge;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Resources;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's three configuration documents, read, checked and merged over the built-in defaults of Istio 1.30
 * ({@code defaults/mesh.yaml}, {@code defaults/config.yaml}, {@code defaults/values.yaml}). A mapping merges key by
 * key into the default; anything else (a list, a scalar) replaces it. An absent or empty document means the
 * defaults.
 *
 * @param mesh the MeshConfig
 * @param injection the injector's configuration
 * @param values the Helm values the templates read
 * @param hash a short hash of the three effective documents: it changes whenever what is injected may change
 */
public record IstioDocuments(MeshConfig mesh, InjectionConfig injection, Values values, String hash) {

    static final String MESH_DEFAULTS = "defaults/mesh.yaml";
    static final String CONFIG_DEFAULTS = "defaults/config.yaml";
    static final String VALUES_DEFAULTS = "defaults/values.yaml";
    private static final Set<String> POLICIES = Set.of("enabled", "disabled");

    /* Parsed once; in the native executable while the image is built. */
    private static final ObjectNode MESH_TREE = builtIn(MESH_DEFAULTS);
    private static final ObjectNode CONFIG_TREE = builtIn(CONFIG_DEFAULTS);
    private static final ObjectNode VALUES_TREE = builtIn(VALUES_DEFAULTS);

    /** The built-in configuration alone. */
    public static IstioDocuments defaults() {
        try {
            return load(Optional.empty(), Optional.empty(), Optional.empty());
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("the built-in configuration is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * @param mesh a MeshConfig document, or empty for the defaults
     * @param config an injection configuration document, or empty for the defaults
     * @param values a values document (JSON or YAML), or empty for the defaults
     * @throws InvalidConfigException naming the document, the key and its line
     */
    public static IstioDocuments load(
            Optional<TextDocument> mesh, Optional<TextDocument> config, Optional<TextDocument> values)
            throws InvalidConfigException {
        ObjectNode meshTree = MESH_TREE.deepCopy();
        Optional<YamlTree> meshDoc = read(mesh);
        if (meshDoc.isPresent()) {
            MeshSchema.checkMeshConfig(meshDoc.get());
            JsonMerge.into(
                    meshTree,
                    (ObjectNode) MeshSchema.normalized(meshDoc.get().tree(), "MeshConfig"),
                    JsonMerge.Null.SET,
                    Set.of());
        }
        ObjectNode configTree = CONFIG_TREE.deepCopy();
        Optional<YamlTree> configDoc = read(config);
        configDoc.ifPresent(doc -> JsonMerge.into(configTree, (ObjectNode) doc.tree(), JsonMerge.Null.SET, Set.of()));
        InjectionConfig injection = bind(configTree, configDoc);
        if (!POLICIES.contains(injection.policy())) {
            throw new InvalidConfigException(
                    configDoc.map(d -> d.where("/policy")).orElse(CONFIG_DEFAULTS) + ": key 'policy': value '"
                            + injection.policy() + "' is not one of enabled, disabled");
        }
        ObjectNode valuesTree = VALUES_TREE.deepCopy();
        // as Helm merges values: a null removes the key, and a resources mapping replaces the default whole, since a
        // chart-rendered document leaves out the requests and limits that were nulled (a proxy with no CPU limit)
        read(values)
                .ifPresent(doc -> JsonMerge.into(
                        valuesTree, (ObjectNode) doc.tree(), JsonMerge.Null.REMOVES, Set.of("resources")));
        return new IstioDocuments(
                new MeshConfig(meshTree), injection, new Values(valuesTree), hash(meshTree, configTree, valuesTree));
    }

    /** The same documents with other values (e.g. observed ones), keeping the hash. */
    public IstioDocuments withValues(Values other) {
        return new IstioDocuments(mesh, injection, other, hash);
    }

    private static Optional<YamlTree> read(Optional<TextDocument> document) throws InvalidConfigException {
        if (document.isEmpty()) {
            return Optional.empty();
        }
        YamlTree tree = YamlTree.parse(document.get());
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        if (!tree.tree().isObject()) {
            throw new InvalidConfigException(document.get().name() + ": the document is not a YAML mapping");
        }
        return Optional.of(tree);
    }

    private static InjectionConfig bind(ObjectNode tree, Optional<YamlTree> doc) throws InvalidConfigException {
        String name = doc.map(d -> d.document().name()).orElse(CONFIG_DEFAULTS);
        try {
            return Mappers.STRICT_YAML.treeToValue(tree, InjectionConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String pointer = "/" + e.getPropertyName();
            throw new InvalidConfigException(
                    doc.map(d -> d.where(pointer)).orElse(name) + ": unknown key '"
                            + e.getPropertyName()
                            + "' (the injection configuration has policy, defaultTemplates, templates,"
                            + " aliases, neverInjectSelector, alwaysInjectSelector, injectedAnnotations)",
                    e);
        } catch (JsonProcessingException e) {
            String path = pathOf(e);
            String pointer = "/" + path.replace('.', '/');
            throw new InvalidConfigException(
                    doc.map(d -> d.where(pointer)).orElse(name) + ": key '" + path + "': " + e.getOriginalMessage(), e);
        }
    }

    private static String pathOf(JsonProcessingException e) {
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('.').append(ref.getIndex());
                }
            }
        }
        return path.isEmpty() ? "(top level)" : path.toString();
    }

    private static ObjectNode builtIn(String name) {
        try {
            YamlTree tree = YamlTree.parse(new TextDocument(name, Resources.text(name)));
            if (tree.tree() instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalStateException("built-in document " + name + " is not a YAML mapping");
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("built-in document " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    private static String hash(JsonNode... trees) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (JsonNode tree : trees) {
                digest.update(Mappers.JSON.writeValueAsBytes(tree));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the configuration", e);
        }
    }
}
