package io.sidecarinjector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Start-up settings of the injector (application.properties, environment, system properties). */
@ConfigMapping(prefix = "injector")
public interface InjectorSettings {

    /**
     * The injection document (YAML, Istio's shape). Unset: the built-in defaults only. In the cluster: the
     * {@code config} key of the {@code sidecar-injector} ConfigMap, mounted as a file.
     */
    @WithName("config.file")
    Optional<Path> configFile();

    /** The mesh document (YAML). Unset: the built-in defaults only. In the cluster: the ConfigMap's {@code mesh} key. */
    @WithName("mesh.file")
    Optional<Path> meshFile();

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
     * turns into timeouts and memory, and the controller that creates the pod retries it. 128 typical pods are
     * under 0.1 s of work on two cores; with 32, 22-30 of 60,000 new pods were refused at 1,000 new pods/s, with
     * 128 none (README, Benchmarks).
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
