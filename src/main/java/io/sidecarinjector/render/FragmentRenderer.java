package io.sidecarinjector.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.cache.LruCache;
import io.sidecarinjector.merge.SharedTree;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders templates and reads what they print as partial pods. A template's output depends on its values only,
 * reading YAML costs far more than the rest of an injection, and the replicas of one workload have the same
 * values; so fragments are kept in a small LRU cache keyed by template and values: a hit is the very document
 * that rendering and reading would give again. One renderer belongs to one configuration snapshot.
 */
public final class FragmentRenderer {

    /** Not a record: a record's equals and hashCode run as interpreted method handles in the native executable. */
    private static final class Key {
        private final String template;
        private final SidecarValues values;
        private final int hash;

        Key(String template, SidecarValues values) {
            this.template = template;
            this.values = values;
            this.hash = 31 * template.hashCode() + values.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && template.equals(k.template) && values.equals(k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final LruCache<Key, ObjectNode> parsed;

    /** @param capacity how many distinct fragments are kept */
    public FragmentRenderer(int capacity) {
        this.parsed = LruCache.ofEntries(capacity);
    }

    /**
     * One fragment per template, in the order given. A fragment is shared between requests and unmodifiable
     * ({@link SharedTree}).
     */
    public List<ObjectNode> render(List<InjectionTemplate> templates, SidecarValues values) {
        List<ObjectNode> fragments = new ArrayList<>(templates.size());
        for (InjectionTemplate template : templates) {
            fragments.add(fragment(template, values));
        }
        return fragments;
    }

    private ObjectNode fragment(InjectionTemplate template, SidecarValues values) {
        Key key = new Key(template.name(), values);
        ObjectNode cached = parsed.get(key);
        if (cached != null) {
            return cached;
        }
        // shared by every pod injected with it, laid into each without a copy: so it is made unmodifiable
        ObjectNode fragment = SharedTree.of(parse(template.name(), template.render(values)));
        parsed.put(key, fragment);
        return fragment;
    }

    /**
     * Reads what a template printed as a pod fragment, in the form of a pod's own serialisation.
     *
     * @throws RenderException when it is not YAML or not a pod
     */
    public static ObjectNode parse(String templateName, String yaml) {
        JsonNode tree;
        try {
            tree = Mappers.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String line =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new RenderException(
                    "template '" + templateName + "' rendered invalid YAML" + line + ": " + e.getOriginalMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return Mappers.JSON.createObjectNode();
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new RenderException("template '" + templateName + "' rendered a " + tree.getNodeType()
                    + ", not a pod fragment (a YAML mapping)");
        }
        try {
            // read as a Pod once, so that a fragment that is not one fails here, with the template's name;
            // what is merged is the Pod's own serialisation: YAML's forms (a quoted number) become JSON's types
            return Mappers.JSON.valueToTree(Mappers.FRAGMENTS.treeToValue(object, Pod.class));
        } catch (JsonProcessingException e) {
            throw new RenderException(
                    "template '" + templateName + "' rendered something that is not a pod: "
                            + Messages.oneLine(e.getOriginalMessage()),
                    e);
        }
    }
}
