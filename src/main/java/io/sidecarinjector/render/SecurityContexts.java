package io.sidecarinjector.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.istio.Values;
import io.sidecarinjector.support.Mappers;
import java.util.Map;

/** The security contexts of the injected containers, as Istio's sidecar template sets them. */
final class SecurityContexts {

    private SecurityContexts() {}

    /**
     * The proxy runs as uid 1337, which the capture rules exempt, with no capabilities; TPROXY needs NET_ADMIN and
     * root, binding ports below 1024 needs NET_BIND_SERVICE; iptables trace logging needs a privileged proxy.
     */
    static ObjectNode proxy(
            Map<String, String> proxyMetadata,
            Values values,
            boolean privileged,
            boolean tproxy,
            boolean capNetBindService) {
        ObjectNode context = Mappers.JSON.createObjectNode();
        long uid = SidecarValuesFactory.PROXY_UID;
        if ("true".equals(proxyMetadata.get("IPTABLES_TRACE_LOGGING"))) {
            context.put("allowPrivilegeEscalation", true);
            capabilities(context, "NET_ADMIN");
            context.put("privileged", true);
            context.put("readOnlyRootFilesystem", true);
            context.put("runAsGroup", uid);
            context.put("runAsNonRoot", false);
            context.put("runAsUser", 0);
        } else {
            context.put("allowPrivilegeEscalation", privileged);
            if (tproxy && capNetBindService) {
                capabilities(context, "NET_ADMIN", "NET_BIND_SERVICE");
            } else if (tproxy) {
                capabilities(context, "NET_ADMIN");
            } else if (capNetBindService) {
                capabilities(context, "NET_BIND_SERVICE");
            } else {
                capabilities(context);
            }
            context.put("privileged", privileged);
            context.put("readOnlyRootFilesystem", true);
            boolean root = tproxy || capNetBindService;
            context.put("runAsGroup", uid);
            context.put("runAsNonRoot", !root);
            context.put("runAsUser", root ? 0 : uid);
        }
        seccomp(context, values);
        return context;
    }

    /**
     * The capture init container runs as root with NET_ADMIN and NET_RAW to write the rules; with the CNI plugin
     * it only validates them, as the proxy's user and without capabilities.
     */
    static ObjectNode init(Values values, boolean privileged, boolean cni) {
        ObjectNode context = Mappers.JSON.createObjectNode();
        context.put("allowPrivilegeEscalation", privileged);
        context.put("privileged", privileged);
        if (cni) {
            capabilities(context);
            context.put("readOnlyRootFilesystem", true);
            context.put("runAsGroup", SidecarValuesFactory.PROXY_UID);
            context.put("runAsUser", SidecarValuesFactory.PROXY_UID);
            context.put("runAsNonRoot", true);
        } else {
            capabilities(context, "NET_ADMIN", "NET_RAW");
            context.put("readOnlyRootFilesystem", false);
            context.put("runAsGroup", 0);
            context.put("runAsNonRoot", false);
            context.put("runAsUser", 0);
        }
        seccomp(context, values);
        return context;
    }

    private static void capabilities(ObjectNode context, String... add) {
        ObjectNode capabilities = context.putObject("capabilities");
        if (add.length > 0) {
            ArrayNode added = capabilities.putArray("add");
            for (String capability : add) {
                added.add(capability);
            }
        }
        capabilities.putArray("drop").add("ALL");
    }

    private static void seccomp(ObjectNode context, Values values) {
        JsonNode profile = values.node("global.proxy.seccompProfile");
        if (profile.isObject() && !profile.isEmpty()) {
            context.set("seccompProfile", profile.deepCopy());
        }
    }
}
