package io.sidecarinjector.reload;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * With {@code ENABLE_NATIVE_SIDECARS=auto}, as in Istio: native sidecars when every node's kubelet is 1.33 or
 * newer. The nodes are listed in the background, at most once a minute and only when asked, so that no request
 * waits for the API server; until a listing succeeds (no cluster, or no permission to list nodes) the answer is
 * no.
 */
@ApplicationScoped
public class NodeVersions implements BooleanSupplier {

    private static final Logger LOG = Logger.getLogger(NodeVersions.class);
    private static final long REFRESH_NANOS = 60_000_000_000L;
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+).*");
    static final int MIN_MINOR = 33;

    @Inject
    Instance<KubernetesClient> client;

    // read as plain JSON: the client's typed node list links model groups this build leaves out
    private final BackgroundListing<Boolean> nodes = new BackgroundListing<>(
            "node-versions",
            () -> client.get().raw("/api/v1/nodes"),
            NodeVersions::allSupport,
            false,
            e -> LOG.warnf(
                    "ENABLE_NATIVE_SIDECARS=auto: cannot list nodes (%s); pods get classic sidecars", e.getMessage()));

    @Override
    public boolean getAsBoolean() {
        return nodes.current(REFRESH_NANOS);
    }

    /** Whether every node of a node list runs a kubelet of 1.33 or newer. */
    static boolean allSupport(JsonNode nodeList) {
        List<String> versions = new java.util.ArrayList<>();
        nodeList.path("items")
                .forEach(n -> versions.add(
                        n.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
        return allSupport(versions);
    }

    /** Whether every kubelet version is 1.33 or newer; no nodes at all means no. */
    static boolean allSupport(List<String> kubeletVersions) {
        if (kubeletVersions.isEmpty()) {
            return false;
        }
        for (String version : kubeletVersions) {
            Matcher m = VERSION.matcher(version == null ? "" : version);
            if (!m.matches()
                    || Integer.parseInt(m.group(1)) < 1
                    || (Integer.parseInt(m.group(1)) == 1 && Integer.parseInt(m.group(2)) < MIN_MINOR)) {
                return false;
            }
        }
        return true;
    }
}
