package io.sidecarinjector.render;

import io.quarkus.qute.TemplateExtension;
import io.sidecarinjector.support.Mappers;

/** Helpers available in every template. */
@TemplateExtension
public final class TemplateExtensions {

    private TemplateExtensions() {}

    /**
     * The string as a double-quoted scalar (JSON string syntax, which YAML reads the same way): whatever it holds,
     * newlines, quotes, colons or braces, it stays one value and adds no structure.
     */
    static String quoted(String value) {
        return Mappers.yamlSafeJson(value == null ? "" : value);
    }
}
