package io.sidecarinjector.cli;

import io.sidecarinjector.inject.ActiveConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kube-inject}: injects the pods and pod templates of workload YAML, as the webhook would. */
@Command(
        name = "kube-inject",
        mixinStandardHelpOptions = true,
        description = "Inject the sidecar into the pods and pod templates of Kubernetes YAML, offline.")
public class KubeInjectCommand extends WorkloadCommand {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Output file; standard output if absent.")
    Path output;

    @Option(
            names = "--show-iptables",
            description = "Print to standard error the nat rules each injected pod's " + "init container installs.")
    boolean showIptables;

    @Override
    void run(ActiveConfig snapshot, PrintWriter out, PrintWriter err) throws CliException, IOException {
        WorkloadInjector.Result result =
                WorkloadInjector.inject(input.source(), input.text(), snapshot, input.namespace());
        result.notes().forEach(err::println);
        if (showIptables) {
            result.iptables().forEach(err::println);
        }
        if (output == null) {
            out.print(result.yaml());
        } else {
            try {
                Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(output + ": cannot be written: " + e.getMessage(), e);
            }
        }
    }
}
