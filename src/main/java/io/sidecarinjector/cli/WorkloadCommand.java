package io.sidecarinjector.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Engine;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.support.Messages;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What kube-inject and check-inject share: the workload input, the configuration, and the rule that a failure is
 * one {@code error:} line on standard error and exit code 1.
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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(config.load(engine, client), out, err);
            return 0;
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + Messages.oneLine(e.getMessage()));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
