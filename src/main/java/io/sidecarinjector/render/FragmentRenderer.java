package io.sidecarinjector.render;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.config.Mappers;

/** Renders templates and reads what they print as partial pods. */
public final class FragmentRenderer {

    private FragmentRenderer() {
    }

    /** One fragment per template, in the order given. */
    public static List<Pod> render(List<InjectionTemplate> templates, TemplateValues values) {
        return templates.stream().map(t -> parse(t.name(), t.render(values))).toList();
    }

    static Pod parse(String templateName, String yaml) {
        JsonNode tree;
        try {
            tree = Mappers.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new RenderException("template '" + templateName + "' rendered invalid YAML" + line + ": "
                    + e.getOriginalMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return new Pod();
        }
        if (!tree.isObject()) {
            throw new RenderException("template '" + templateName + "' rendered a " + tree.getNodeType()
                    + ", not a pod fragment (a YAML mapping)");
        }
        try {
            return Mappers.YAML.treeToValue(tree, Pod.class);
        } catch (JsonProcessingException e) {
            throw new RenderException("template '" + templateName + "' rendered something that is not a pod: "
                    + TemplateCatalog.oneLine(e.getOriginalMessage()), e);
        }
    }
}
