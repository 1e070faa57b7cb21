package io.sidecarinjector.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Engine;
import io.sidecarinjector.istio.IstioSwitches;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code check-config}: for Istio's documents, what takes effect on injected pods and what is only accepted. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = "Load Istio's documents (files, or an installation's ConfigMaps with --cluster), check them as "
                + "the service does, and say for each key whether it takes effect on injected pods or is accepted "
                + "and ignored. Exits 1 when they do not load.")
public class CheckConfigCommand implements Callable<Integer> {

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
        return CommandOutcome.of(
                spec,
                (out, err) -> ConfigReport.of(
                                engine, config.sources(client), config.revision, IstioSwitches.fromProcess())
                        .forEach(out::println));
    }
}
