package io.sidecarinjector.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check-inject}: says, for each pod template, whether it would be injected and why. */
@Command(name = "check-inject", mixinStandardHelpOptions = true,
        description = "Say whether each pod or pod template would be injected, which rule decides, and the traffic "
                + "rules its init container would install. Exits 0 either way.")
public class CheckInjectCommand implements Callable<Integer> {

    @Mixin
    WorkloadInput input;

    @Option(names = "--namespace-labels", paramLabel = "K=V", split = ",",
            description = "Labels of the pod's namespace, to say whether the webhook would be called at all.")
    Map<String, String> namespaceLabels;

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
                        PrintWriter out = spec.commandLine().getOut();
            InjectionCheck.check(input.source(), input.text(), config.load(engine, client),
                    input.namespace(),
                    Optional.ofNullable(namespaceLabels).map(LinkedHashMap::new))
                    .forEach(out::println);
            out.flush();
            return 0;
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
