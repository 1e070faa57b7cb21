package io.sidecarinjector.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import io.sidecarinjector.config.ServiceSettings;
import io.sidecarinjector.inject.ProxyConfigSource;
import io.sidecarinjector.support.Mappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Istio's ProxyConfig resources of the cluster, listed in the background (from the start, then at most every
 * {@code injector.proxy-config-resources.refresh}, while pods are injected) and turned into ProxyConfig
 * fields as Istio turns them: {@code concurrency}, {@code environmentVariables} (the proxy's proxyMetadata) and
 * {@code image}. Without the CRD, or without permission to list it, there are none, and the mesh's
 * {@code defaultConfig} and the pods' annotations decide alone.
 */
@ApplicationScoped
public class ProxyConfigResources implements ProxyConfigSource {

    private static final Logger LOG = Logger.getLogger(ProxyConfigResources.class);
    static final String PATH = "/apis/networking.istio.io/v1beta1/proxyconfigs";

    /** One resource: its namespace, its selector's labels (null for none) and its ProxyConfig fields. */
    record Resource(String namespace, Map<String, String> selector, JsonNode proxyConfig) {}

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    ServiceSettings settings;

    private final BackgroundListing<List<Resource>> resources = new BackgroundListing<>(
            "proxy-config-resources",
            () -> client.get().raw(PATH),
            ProxyConfigResources::parse,
            List.of(),
            e -> LOG.infof(
                    "ProxyConfig resources cannot be listed (%s): the mesh's defaultConfig and pod annotations apply",
                    e.getMessage()));
    private final AtomicBoolean waited = new AtomicBoolean(false);
    /** The kubelet sets this in every container: the service runs in a cluster (read when the bean is made). */
    private final boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;

    /** In a cluster the first listing starts with the service, in the background, so the first pods find it done. */
    void onStart(@Observes StartupEvent event) {
        if (settings.proxyConfigResourcesEnabled() && inCluster) {
            current();
        }
    }

    @Override
    public List<JsonNode> overlays(String namespace, Map<String, String> labels, String rootNamespace) {
        if (!settings.proxyConfigResourcesEnabled()) {
            return List.of();
        }
        List<Resource> listed = current();
        // in a cluster the first injection waits a little for the first listing, so that a pod created right after
        // a start (a scale from zero) does not go without its ProxyConfig resources; no later request ever waits
        if (inCluster && !resources.firstReadEnded() && waited.compareAndSet(false, true)) {
            resources.awaitFirst(1000);
            listed = current();
        }
        return select(listed, namespace, labels, rootNamespace);
    }

    private List<Resource> current() {
        return resources.current(settings.proxyConfigResourcesRefresh().toNanos());
    }

    /** The resources of a list answer, in the order the API server gives them. */
    static List<Resource> parse(JsonNode list) {
        List<Resource> parsed = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            JsonNode spec = item.path("spec");
            ObjectNode proxyConfig = Mappers.JSON.createObjectNode();
            if (spec.hasNonNull("concurrency")) {
                proxyConfig.set("concurrency", spec.get("concurrency"));
            }
            if (spec.path("environmentVariables").isObject()) {
                proxyConfig.set("proxyMetadata", spec.get("environmentVariables"));
            }
            if (spec.path("image").isObject()) {
                proxyConfig.set("image", spec.get("image"));
            }
            Map<String, String> selector = null;
            if (spec.path("selector").path("matchLabels").isObject()) {
                selector = new java.util.LinkedHashMap<>();
                Map<String, String> labels = selector;
                spec.path("selector")
                        .path("matchLabels")
                        .fields()
                        .forEachRemaining(
                                e -> labels.put(e.getKey(), e.getValue().asText()));
            }
            parsed.add(new Resource(item.path("metadata").path("namespace").asText(""), selector, proxyConfig));
        }
        return List.copyOf(parsed);
    }

    /** Istio's precedence: root namespace, then the pod's namespace, then a selector matching its labels. */
    static List<JsonNode> select(
            List<Resource> resources, String namespace, Map<String, String> labels, String rootNamespace) {
        List<JsonNode> overlays = new ArrayList<>();
        for (Resource r : resources) {
            if (r.selector() == null && r.namespace().equals(rootNamespace)) {
                overlays.add(r.proxyConfig());
            }
        }
        for (Resource r : resources) {
            if (r.selector() == null && r.namespace().equals(namespace)) {
                overlays.add(r.proxyConfig());
            }
        }
        for (Resource r : resources) {
            if (r.selector() != null
                    && !r.selector().isEmpty()
                    && r.namespace().equals(namespace)
                    && r.selector().entrySet().stream()
                            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                overlays.add(r.proxyConfig());
            }
        }
        return overlays;
    }
}
