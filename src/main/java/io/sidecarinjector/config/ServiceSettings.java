package io.sidecarinjector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings the process starts with (application.properties, environment, system properties). The
 * configuration of injection itself is Istio's documents, read from the files named here.
 */
@ConfigMapping(prefix = "injector")
public interface ServiceSettings {

    /**
     * Istio's MeshConfig (YAML). Unset or absent: the built-in defaults. In a cluster: the {@code mesh} key of
     * ConfigMap {@code istio} (or {@code istio-<revision>}), mounted as a file.
     */
    @WithName("mesh.file")
    Optional<Path> meshFile();

    /**
     * The injector's configuration (YAML, Istio's shape). Unset or absent: the built-in defaults. In a cluster: the
     * {@code config} key of ConfigMap {@code istio-sidecar-injector} (or {@code -<revision>}).
     */
    @WithName("config.file")
    Optional<Path> configFile();

    /**
     * Istio's values (JSON or YAML). Unset or absent: the built-in defaults. In a cluster: the {@code values} key of
     * ConfigMap {@code istio-sidecar-injector} (or {@code -<revision>}).
     */
    @WithName("values.file")
    Optional<Path> valuesFile();

    /**
     * The Istio revision served; empty (the default) for the default revision. Injected pods carry it in
     * {@code istio.io/rev} and in their status annotation.
     */
    @WithName("revision")
    @WithDefault("")
    Optional<String> revision();

    /**
     * Whether Istio's ProxyConfig resources of the cluster take part in a pod's ProxyConfig, as in Istio (they need
     * permission to list {@code proxyconfigs.networking.istio.io}; without it, or without the CRD, there are none).
     */
    @WithName("proxy-config-resources.enabled")
    @WithDefault("true")
    boolean proxyConfigResourcesEnabled();

    /** How long a listing of ProxyConfig resources is used before they are listed again. */
    @WithName("proxy-config-resources.refresh")
    @WithDefault("30s")
    Duration proxyConfigResourcesRefresh();

    /** How often the configuration files are looked at for changes; a change is in service within this time. */
    @WithName("reload.interval")
    @WithDefault("1s")
    Duration reloadInterval();

    /**
     * Bytes kept for answers already given with the configuration in service (pod and answer, least recently used
     * first out): the replicas of a workload arrive as the same pod and get the answer of the first without a
     * second injection. 0 turns this off.
     */
    @WithName("answer-cache.max-bytes")
    @WithDefault("2097152")
    long answerCacheMaxBytes();

    /**
     * Pods not seen before that may wait for or be in injection at once. Beyond it a new pod is refused at once
     * (allowed: false, code 429, "retry") instead of queueing: a queue longer than the API server's timeout only
     * turns into timeouts and memory, and the controller that creates the pod retries it.
     */
    @WithName("max-pending-injections")
    @WithDefault("128")
    int maxPendingInjections();

    /**
     * Threads that inject pods not seen before; 0 means one per processor the process may use. Injection is pure
     * CPU work, so more threads than processors only take time from the HTTP event loops, which answer replicas
     * and refusals.
     */
    @WithName("injection-threads")
    @WithDefault("0")
    int injectionThreads();
}
