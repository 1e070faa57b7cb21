package io.sidecarinjector.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-inject}: injects the pods and pod templates of workload YAML, as the webhook would. */
@Command(name = "kube-inject", mixinStandardHelpOptions = true,
        description = "Inject the sidecar into the pods and pod templates of Kubernetes YAML, offline.")
public class KubeInjectCommand implements Callable<Integer> {

    @Mixin
    WorkloadInput input;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Output file; standard output if absent.")
    Path output;

    @Option(names = "--show-iptables", description = "Print to standard error the nat rules each injected pod's "
            + "init container installs.")
    boolean showIptables;

    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Inject
    Engine engine;

    @Inject
    KubernetesClient client;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            WorkloadInjector.Result result = WorkloadInjector.inject(input.source(), input.text(),
                    config.load(engine, client), input.namespace());
            result.notes().forEach(err::println);
            if (showIptables) {
                result.iptables().forEach(err::println);
            }
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(result.yaml());
                out.flush();
            } else {
                Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
            }
            err.flush();
            return 0;
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("error: " + output + ": cannot be written: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
