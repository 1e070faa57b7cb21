package io.sidecarinjector.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.ModelCopy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Istio's probe rewriting. With mutual TLS the kubelet cannot reach the application through the proxy, so each
 * httpGet, tcpSocket and grpc probe, and each httpGet and tcpSocket lifecycle hook, of every container but the
 * proxy (init containers too) becomes an httpGet on the proxy's status port at
 * {@code /app-health/<container>/livez|readyz|startupz} or {@code /app-lifecycle/<container>/prestopz|poststartz};
 * the proxy runs the originals, which it reads as JSON from {@code ISTIO_KUBE_APP_PROBERS}. A named port is given
 * to the proxy as its number; a probe on a name the container does not declare, or on the status port itself, is
 * not handed over.
 */
public final class ProbeRewriter {

    public static final String PROBERS_ENV = "ISTIO_KUBE_APP_PROBERS";
    static final String HEALTH = "/app-health/";
    static final String LIFECYCLE = "/app-lifecycle/";

    private ProbeRewriter() {}

    /** What the proxy needs to run an original probe or hook. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Prober(HTTPGetAction httpGet, TCPSocketAction tcpSocket, GRPCAction grpc, Integer timeoutSeconds) {}

    /**
     * Rewrites the probes of the pod it is given, in place: the pipeline calls it on its own copy. Only the
     * containers with probes or hooks are read into the model.
     *
     * @param pod an injected pod, with its proxy container, as a JSON tree
     * @param proxyName the proxy container's name; it is looked for among containers and init containers
     * @param handOverPort the proxy's status port of the mesh: a probe already on it is not handed over
     * @param statusPort the status port the probes are rewritten to (the pod's annotation, or the mesh's)
     */
    public static void rewrite(ObjectNode pod, String proxyName, int handOverPort, int statusPort) {
        ObjectNode proxy = PodTree.ownContainer(pod, proxyName);
        if (proxy == null) {
            return;
        }
        Map<String, Prober> probers = new LinkedHashMap<>();
        for (String list : PodTree.CONTAINER_LISTS) {
            ArrayNode items = PodTree.list(pod, list);
            for (int i = 0; items != null && i < items.size(); i++) {
                JsonNode node = items.get(i);
                if (!proxyName.equals(node.path("name").asText(null)) && hasProbesOrHooks(node)) {
                    Container c = PodTree.read(node, Container.class);
                    rewrite(c, handOverPort, statusPort, probers);
                    items = PodTree.ownList(pod, list);
                    items.set(i, Mappers.JSON.valueToTree(c));
                }
            }
        }
        if (!probers.isEmpty()) {
            PodTree.setEnv(proxy, PROBERS_ENV, json(probers));
        }
    }

    private static boolean hasProbesOrHooks(JsonNode container) {
        for (String field : List.of("readinessProbe", "livenessProbe", "startupProbe", "lifecycle")) {
            if (container.hasNonNull(field)) {
                return true;
            }
        }
        return false;
    }

    private static void rewrite(Container c, int handOverPort, int statusPort, Map<String, Prober> probers) {
        String name = c.getName();
        c.setReadinessProbe(
                probe(c, c.getReadinessProbe(), HEALTH + name + "/readyz", handOverPort, statusPort, probers));
        c.setLivenessProbe(probe(c, c.getLivenessProbe(), HEALTH + name + "/livez", handOverPort, statusPort, probers));
        c.setStartupProbe(
                probe(c, c.getStartupProbe(), HEALTH + name + "/startupz", handOverPort, statusPort, probers));
        Lifecycle lifecycle = c.getLifecycle();
        if (lifecycle != null) {
            lifecycle.setPreStop(
                    hook(c, lifecycle.getPreStop(), LIFECYCLE + name + "/prestopz", handOverPort, statusPort, probers));
            lifecycle.setPostStart(hook(
                    c, lifecycle.getPostStart(), LIFECYCLE + name + "/poststartz", handOverPort, statusPort, probers));
        }
    }

    private static Probe probe(
            Container c, Probe probe, String path, int handOverPort, int statusPort, Map<String, Prober> probers) {
        if (probe == null) {
            return null;
        }
        Integer timeout =
                probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() == 0 ? null : probe.getTimeoutSeconds();
        Prober original;
        if (probe.getHttpGet() != null) {
            original = new Prober(probe.getHttpGet(), null, null, timeout);
        } else if (probe.getTcpSocket() != null) {
            original = new Prober(null, probe.getTcpSocket(), null, timeout);
        } else if (probe.getGrpc() != null) {
            original = new Prober(null, null, probe.getGrpc(), timeout);
        } else {
            return probe; // exec probes run inside the container and need no rewriting
        }
        handOver(c, original, path, handOverPort, probers);
        return new io.fabric8.kubernetes.api.model.ProbeBuilder(probe)
                .withTcpSocket(null)
                .withGrpc(null)
                .withHttpGet(rewritten(probe.getHttpGet(), path, statusPort))
                .build();
    }

    private static LifecycleHandler hook(
            Container c,
            LifecycleHandler handler,
            String path,
            int handOverPort,
            int statusPort,
            Map<String, Prober> probers) {
        if (handler == null || (handler.getHttpGet() == null && handler.getTcpSocket() == null)) {
            return handler;
        }
        handOver(c, new Prober(handler.getHttpGet(), handler.getTcpSocket(), null, null), path, handOverPort, probers);
        return new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder(handler)
                .withTcpSocket(null)
                .withHttpGet(rewritten(handler.getHttpGet(), path, statusPort))
                .build();
    }

    /** The original's port as a number, when the proxy can use it. */
    private static void handOver(
            Container c, Prober original, String path, int handOverPort, Map<String, Prober> probers) {
        if (original.grpc() != null) {
            probers.put(path, original);
            return;
        }
        IntOrString port = original.httpGet() != null
                ? original.httpGet().getPort()
                : original.tcpSocket().getPort();
        IntOrString resolved = port;
        if (port != null && port.getStrVal() != null) {
            List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
            Optional<Integer> number = ports.stream()
                    .filter(p -> port.getStrVal().equals(p.getName()) && p.getContainerPort() != null)
                    .map(ContainerPort::getContainerPort)
                    .findFirst();
            if (number.isEmpty()) {
                return;
            }
            resolved = new IntOrString(number.get());
        } else if (port != null && port.getIntVal() != null && port.getIntVal() == handOverPort) {
            return;
        }
        Prober handed = original.httpGet() != null
                ? new Prober(
                        new HTTPGetActionBuilder(original.httpGet())
                                .withPort(resolved)
                                .build(),
                        null,
                        null,
                        original.timeoutSeconds())
                : new Prober(
                        null,
                        new io.fabric8.kubernetes.api.model.TCPSocketActionBuilder(original.tcpSocket())
                                .withPort(resolved)
                                .build(),
                        null,
                        original.timeoutSeconds());
        probers.put(path, handed);
    }

    /** An httpGet probe keeps its other fields (HTTPS becomes HTTP); any other becomes a bare httpGet. */
    private static HTTPGetAction rewritten(HTTPGetAction original, String path, int statusPort) {
        HTTPGetActionBuilder action =
                original == null ? new HTTPGetActionBuilder() : new HTTPGetActionBuilder(original);
        if (original != null && "HTTPS".equals(original.getScheme())) {
            action.withScheme("HTTP");
        }
        return action.withPath(path).withPort(new IntOrString(statusPort)).build();
    }

    /**
     * Puts back the probes and hooks an earlier injection rewrote, from the proxy's {@code ISTIO_KUBE_APP_PROBERS},
     * so that the pod can be injected again from what its author wrote.
     */
    public static Pod restore(Pod pod, String proxyName) {
        Optional<Container> proxy = find(pod, proxyName);
        Optional<String> json = proxy.flatMap(p -> Optional.ofNullable(p.getEnv()).orElse(List.of()).stream()
                .filter(e -> PROBERS_ENV.equals(e.getName()))
                .map(EnvVar::getValue)
                .findFirst());
        if (json.isEmpty()) {
            return pod;
        }
        Map<String, Prober> originals;
        try {
            originals = Mappers.JSON.readValue(json.get(), new TypeReference<Map<String, Prober>>() {});
        } catch (JsonProcessingException e) {
            return pod; // not ours to read: leave the probes as they are
        }
        Pod copy = ModelCopy.of(pod);
        all(copy).forEach(c -> {
            String name = c.getName();
            c.setReadinessProbe(restore(c.getReadinessProbe(), originals.get(HEALTH + name + "/readyz")));
            c.setLivenessProbe(restore(c.getLivenessProbe(), originals.get(HEALTH + name + "/livez")));
            c.setStartupProbe(restore(c.getStartupProbe(), originals.get(HEALTH + name + "/startupz")));
            if (c.getLifecycle() != null) {
                c.getLifecycle()
                        .setPreStop(
                                restore(c.getLifecycle().getPreStop(), originals.get(LIFECYCLE + name + "/prestopz")));
                c.getLifecycle()
                        .setPostStart(restore(
                                c.getLifecycle().getPostStart(), originals.get(LIFECYCLE + name + "/poststartz")));
            }
        });
        return copy;
    }

    private static Probe restore(Probe rewritten, Prober original) {
        if (rewritten == null || original == null || !rewrittenPath(rewritten.getHttpGet())) {
            return rewritten;
        }
        return new io.fabric8.kubernetes.api.model.ProbeBuilder(rewritten)
                .withHttpGet(original.httpGet())
                .withTcpSocket(original.tcpSocket())
                .withGrpc(original.grpc())
                .build();
    }

    private static LifecycleHandler restore(LifecycleHandler rewritten, Prober original) {
        if (rewritten == null || original == null || !rewrittenPath(rewritten.getHttpGet())) {
            return rewritten;
        }
        return new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder(rewritten)
                .withHttpGet(original.httpGet())
                .withTcpSocket(original.tcpSocket())
                .build();
    }

    private static boolean rewrittenPath(HTTPGetAction action) {
        return action != null
                && action.getPath() != null
                && (action.getPath().startsWith(HEALTH) || action.getPath().startsWith(LIFECYCLE));
    }

    private static Stream<Container> all(Pod pod) {
        if (pod.getSpec() == null) {
            return Stream.empty();
        }
        return Stream.concat(
                Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of()).stream());
    }

    private static Optional<Container> find(Pod pod, String name) {
        return all(pod).filter(c -> name.equals(c.getName())).findFirst();
    }

    private static String json(Object value) {
        try {
            return Mappers.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("probes could not be written as JSON", e);
        }
    }
}
