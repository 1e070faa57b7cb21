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

    /**
     * The proxy and its volumes, with the traffic-capture init container unless a CNI plugin does the capture.
     */
    static native TemplateInstance sidecar(TemplateValues v, boolean initContainer);
}
