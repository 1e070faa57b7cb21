package io.sidecarinjector.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sidecarinjector.support.Mappers;

/**
 * Istio's probe rewriting. With mutual TLS the kubelet cannot reach the application's probes through the proxy,
 * so each httpGet, tcpSocket and grpc probe of an application container becomes an httpGet on the proxy's status
 * port at {@code /app-health/<container>/livez|readyz|startupz}; the proxy runs the original probes, which it
 * reads as JSON from {@code ISTIO_KUBE_APP_PROBERS}. The proxy's own probes are never rewritten.
 */
public final class ProbeRewriter {

    public static final String PROBERS_ENV = "ISTIO_KUBE_APP_PROBERS";
    static final String PREFIX = "/app-health/";

    private ProbeRewriter() {
    }

    /** What the proxy needs to run an original probe. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Prober(Object httpGet, Object tcpSocket, Object grpc, Integer timeoutSeconds) {
    }

    /**
     * Rewrites the probes of the pod it is given, in place: the pipeline calls it on its own copy.
     *
     * @param pod an injected pod, with its proxy container
     * @param proxyName the proxy container's name; it is looked for among containers and init containers
     * @param statusPort the proxy's status port
     */
    public static void rewrite(Pod pod, String proxyName, int statusPort) {
        Optional<Container> proxy = find(pod, proxyName);
        if (proxy.isEmpty() || pod.getSpec().getContainers() == null) {
            return;
        }
        Map<String, Prober> probers = new LinkedHashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            if (proxyName.equals(c.getName())) {
                continue;
            }
            c.setLivenessProbe(rewrite(c, c.getLivenessProbe(), "livez", statusPort, probers));
            c.setReadinessProbe(rewrite(c, c.getReadinessProbe(), "readyz", statusPort, probers));
            c.setStartupProbe(rewrite(c, c.getStartupProbe(), "startupz", statusPort, probers));
        }
        if (!probers.isEmpty()) {
            List<EnvVar> env = new ArrayList<>(proxy.get().getEnv() == null ? List.of() : proxy.get().getEnv());
            env.removeIf(e -> PROBERS_ENV.equals(e.getName()));
            env.add(new EnvVar(PROBERS_ENV, json(probers), null));
            proxy.get().setEnv(env);
        }
    }

    private static Probe rewrite(Container container, Probe probe, String kind, int statusPort,
            Map<String, Prober> probers) {
        if (probe == null) {
            return null;
        }
        Prober original;
        if (probe.getHttpGet() != null) {
            HTTPGetAction http = probe.getHttpGet();
            HTTPGetAction resolved = new io.fabric8.kubernetes.api.model.HTTPGetActionBuilder(http)
                    .withPort(resolve(container, http.getPort())).build();
            original = new Prober(resolved, null, null, probe.getTimeoutSeconds());
        } else if (probe.getTcpSocket() != null) {
            var tcp = new io.fabric8.kubernetes.api.model.TCPSocketActionBuilder(probe.getTcpSocket())
                    .withPort(resolve(container, probe.getTcpSocket().getPort())).build();
            original = new Prober(null, tcp, null, probe.getTimeoutSeconds());
        } else if (probe.getGrpc() != null) {
            original = new Prober(null, null, probe.getGrpc(), probe.getTimeoutSeconds());
        } else {
            return probe; // exec probes run inside the container and need no rewriting
        }
        String path = PREFIX + container.getName() + "/" + kind;
        probers.put(path, original);
        Probe rewritten = new io.fabric8.kubernetes.api.model.ProbeBuilder(probe).withTcpSocket(null).withGrpc(null)
                .withHttpGet(new io.fabric8.kubernetes.api.model.HTTPGetActionBuilder().withPath(path)
                        .withPort(new IntOrString(statusPort)).withScheme("HTTP").build())
                .build();
        return rewritten;
    }

    /** A named port is replaced by its number, since the proxy, not the kubelet, will use it. */
    private static IntOrString resolve(Container container, IntOrString port) {
        if (port == null || port.getStrVal() == null) {
            return port;
        }
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        return ports.stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(p -> new IntOrString(p.getContainerPort())).orElse(port);
    }

    /**
     * Puts back the probes an earlier injection rewrote, from the proxy's {@code ISTIO_KUBE_APP_PROBERS}, so that
     * the pod can be injected again from what its author wrote.
     */
    public static Pod restore(Pod pod, String proxyName) {
        Optional<Container> proxy = find(pod, proxyName);
        Optional<String> json = proxy.flatMap(p -> Optional.ofNullable(p.getEnv()).orElse(List.of()).stream()
                .filter(e -> PROBERS_ENV.equals(e.getName())).map(EnvVar::getValue).findFirst());
        if (json.isEmpty() || pod.getSpec().getContainers() == null) {
            return pod;
        }
        Map<String, Probe> originals;
        try {
            originals = Mappers.JSON.readValue(json.get(), new TypeReference<Map<String, Probe>>() {
            });
        } catch (JsonProcessingException e) {
            return pod; // not ours to read: leave the probes as they are
        }
        Pod copy = new PodBuilder(pod).build();
        for (Container c : copy.getSpec().getContainers()) {
            c.setLivenessProbe(restore(c.getLivenessProbe(), originals.get(PREFIX + c.getName() + "/livez")));
            c.setReadinessProbe(restore(c.getReadinessProbe(), originals.get(PREFIX + c.getName() + "/readyz")));
            c.setStartupProbe(restore(c.getStartupProbe(), originals.get(PREFIX + c.getName() + "/startupz")));
        }
        return copy;
    }

    private static Probe restore(Probe rewritten, Probe original) {
        if (rewritten == null || original == null || rewritten.getHttpGet() == null
                || rewritten.getHttpGet().getPath() == null || !rewritten.getHttpGet().getPath().startsWith(PREFIX)) {
            return rewritten;
        }
        return new io.fabric8.kubernetes.api.model.ProbeBuilder(rewritten).withHttpGet(original.getHttpGet())
                .withTcpSocket(original.getTcpSocket()).withGrpc(original.getGrpc()).build();
    }

    private static Optional<Container> find(Pod pod, String name) {
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        return Stream.concat(
                Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream())
                .filter(c -> name.equals(c.getName())).findFirst();
    }

    private static String json(Object value) {
        try {
            return Mappers.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("probes could not be written as JSON", e);
        }
    }
}
