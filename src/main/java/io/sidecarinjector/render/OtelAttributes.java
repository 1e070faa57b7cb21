package io.sidecarinjector.render;

import io.fabric8.kubernetes.api.model.Container;
import io.sidecarinjector.istio.MeshConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry resource attributes for the proxy ({@code OTEL_RESOURCE_ATTRIBUTES}), set when an extension provider
 * of the mesh asks for OpenTelemetry's semantic conventions.
 */
final class OtelAttributes {

    private OtelAttributes() {}

    static String of(
            MeshConfig mesh,
            Map<String, String> annotations,
            Map<String, String> labels,
            String namespace,
            List<Container> containers) {
        if (!mesh.otelSemanticConventions()) {
            return "";
        }
        String ns = namespace == null ? "" : namespace;
        List<String> attributes = new ArrayList<>();
        String serviceNamespace = annotations.get("resource.opentelemetry.io/service.namespace");
        if (serviceNamespace != null && !serviceNamespace.isEmpty()) {
            attributes.add("service.namespace=" + serviceNamespace);
        } else if (!ns.isEmpty()) {
            attributes.add("service.namespace=" + ns);
        }
        String version = annotations.get("resource.opentelemetry.io/service.version");
        String labelVersion = labels.get("app.kubernetes.io/version");
        if (version != null && !version.isEmpty()) {
            attributes.add("service.version=" + version);
        } else if (labelVersion != null && !labelVersion.isEmpty()) {
            attributes.add("service.version=" + labelVersion);
        } else if (containers.size() == 1 && containers.get(0).getImage() != null) {
            String imageVersion = imageVersion(containers.get(0).getImage());
            if (!imageVersion.isEmpty()) {
                attributes.add("service.version=" + imageVersion);
            }
        }
        String instance = annotations.get("resource.opentelemetry.io/service.instance.id");
        if (instance != null && !instance.isEmpty()) {
            attributes.add("service.instance.id=" + instance);
        } else if (!containers.isEmpty()) {
            attributes.add("service.instance.id=" + ns + ".$(POD_NAME)."
                    + containers.get(0).getName());
        }
        return String.join(",", attributes);
    }

    /** {@code tag@digest}, the digest or the tag of an image reference; empty when it has neither. */
    private static String imageVersion(String image) {
        String digest = "";
        int at = image.indexOf('@');
        if (at >= 0) {
            digest = image.substring(at + 1);
            image = image.substring(0, at);
        }
        String tag = "";
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash) {
            tag = image.substring(colon + 1);
        }
        if (!tag.isEmpty() && !digest.isEmpty()) {
            return tag + "@" + digest;
        }
        return digest.isEmpty() ? tag : digest;
    }
}
