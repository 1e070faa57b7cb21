package io.sidecarinjector.render;

import io.sidecarinjector.istio.ProxyConfig;
import io.sidecarinjector.istio.Values;
import io.sidecarinjector.overrides.Annotations;
import java.util.Map;

/** The proxy's image reference, built as Istio builds it: {@code <hub>/<image>:<tag>[-<variant>]}. */
final class ProxyImages {

    private static final String[] KNOWN_TYPES = {"distroless", "debug"};

    private ProxyImages() {}

    /**
     * The variant comes from {@code global.variant}, then the ProxyConfig's {@code image.imageType}, then the
     * pod's {@code sidecar.istio.io/proxyImageType}.
     */
    static String proxyImage(Values values, ProxyConfig proxyConfig, Map<String, String> annotations) {
        String name = values.text("global.proxy.image");
        if (name.isEmpty()) {
            name = "proxyv2";
        }
        String type = proxyConfig.imageType().orElse(values.text("global.variant"));
        if (annotations.containsKey(Annotations.PROXY_IMAGE_TYPE)) {
            type = annotations.get(Annotations.PROXY_IMAGE_TYPE);
        }
        return values.text("global.hub") + "/" + name + ":" + tag(values.text("global.tag"), type);
    }

    /** A variant replaces a variant suffix the tag already has; {@code default} means none. */
    static String tag(String tag, String type) {
        if (type.isEmpty()) {
            return tag;
        }
        for (String known : KNOWN_TYPES) {
            if (tag.endsWith("-" + known)) {
                tag = tag.substring(0, tag.length() - known.length() - 1);
                break;
            }
        }
        return type.equals("default") ? tag : tag + "-" + type;
    }
}
