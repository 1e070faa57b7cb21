package io.sidecarinjector.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Engine;
import io.sidecarinjector.inject.ActiveConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What kube-inject and check-inject share: the workload input, the configuration, and how they end
 * ({@link CommandOutcome}).
 */
abstract class WorkloadCommand implements Callable<Integer> {

    @Mixin
    WorkloadInput input;

    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Inject
    Engine engine;

    @Inject
    KubernetesClient client;

    /** The command's own work, with the configuration loaded. */
    abstract void run(ActiveConfig snapshot, PrintWriter out, PrintWriter err) throws CliException, IOException;

    @Override
    public Integer call() {
        return CommandOutcome.of(spec, (out, err) -> run(config.load(engine, client), out, err));
    }
}
