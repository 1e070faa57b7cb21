package io.sidecarinjector.reload;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sidecarinjector.support.Mappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

    private final AtomicBoolean supported = new AtomicBoolean(false);
    private final AtomicLong checkedAt = new AtomicLong(System.nanoTime() - REFRESH_NANOS - 1);
    private final AtomicBoolean checking = new AtomicBoolean(false);
    private final AtomicBoolean warned = new AtomicBoolean(false);

    @Override
    public boolean getAsBoolean() {
        long last = checkedAt.get();
        if (System.nanoTime() - last > REFRESH_NANOS && checking.compareAndSet(false, true)) {
            Thread thread = new Thread(this::refresh, "node-versions");
            thread.setDaemon(true);
            thread.start();
        }
        return supported.get();
    }

    private void refresh() {
        try {
            // read as plain JSON: the client's typed node list links model groups this build leaves out
            String json = client.get().raw("/api/v1/nodes");
            List<String> versions = new java.util.ArrayList<>();
            if (json != null) {
                Mappers.JSON
                        .readTree(json)
                        .path("items")
                        .forEach(n -> versions.add(n.path("status")
                                .path("nodeInfo")
                                .path("kubeletVersion")
                                .asText("")));
            }
            supported.set(allSupport(versions));
        } catch (RuntimeException | java.io.IOException | LinkageError e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warnf(
                        "ENABLE_NATIVE_SIDECARS=auto: cannot list nodes (%s); pods get classic sidecars",
                        e.getMessage());
            }
            supported.set(false);
        } finally {
            checkedAt.set(System.nanoTime());
            checking.set(false);
        }
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
