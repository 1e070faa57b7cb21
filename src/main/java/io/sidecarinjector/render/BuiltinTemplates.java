package io.sidecarinjector.render;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The built-in templates, type-checked at build time: a misspelt property fails the build, not a request. Their
 * text lives in {@code src/main/resources/templates/BuiltinTemplates/}.
 */
@CheckedTemplate(basePath = "BuiltinTemplates")
final class BuiltinTemplates {

    private BuiltinTemplates() {
    }

    /** The proxy, its traffic-capture init container and their volumes. */
    static native TemplateInstance sidecar(TemplateValues v);
}
