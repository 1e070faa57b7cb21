package io.sidecarinjector.render;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * This injector's equivalents of Istio's stock templates, type-checked at build time: a misspelt property fails
 * the build, not a request. Their text lives in {@code src/main/resources/templates/BuiltinTemplates/}.
 */
@CheckedTemplate(basePath = "BuiltinTemplates")
final class BuiltinTemplates {

    private BuiltinTemplates() {}

    /** Istio's {@code sidecar}: the proxy, its volumes and the traffic-capture init container. */
    static native TemplateInstance sidecar(SidecarValues v);

    /** Istio's {@code gateway}: a gateway's proxy. */
    static native TemplateInstance gateway(SidecarValues v);

    /** Istio's {@code grpc-simple}: proxyless gRPC with a bootstrap file. */
    static native TemplateInstance grpcSimple(SidecarValues v);

    /** Istio's {@code grpc-agent}: proxyless gRPC with the Istio agent. */
    static native TemplateInstance grpcAgent(SidecarValues v);
}
