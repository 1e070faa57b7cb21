package io.sidecarinjector.cli;

import io.sidecarinjector.inject.ActiveConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-inject}: says, for each pod template, whether it would be injected and why. */
@Command(
        name = "check-inject",
        mixinStandardHelpOptions = true,
        description = "Say whether each pod or pod template would be injected, which rule decides, and the traffic "
                + "rules its init container would install. Exits 0 either way.")
public class CheckInjectCommand extends WorkloadCommand {

    @Option(
            names = "--namespace-labels",
            paramLabel = "K=V",
            split = ",",
            description = "Labels of the pod's namespace, to say whether the webhook would be called at all.")
    Map<String, String> namespaceLabels;

    @Override
    void run(ActiveConfig snapshot, PrintWriter out, PrintWriter err) throws CliException {
        InjectionCheck.check(
                        input.source(),
                        input.text(),
                        snapshot,
                        input.namespace(),
                        Optional.ofNullable(namespaceLabels).map(LinkedHashMap::new))
                .forEach(out::println);
    }
}
