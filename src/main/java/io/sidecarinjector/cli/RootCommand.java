package io.sidecarinjector.cli;

import picocli.CommandLine.Command;

/** The command line of the packaged artifact; with no command, it serves the webhook. */
@Command(
        name = "sidecar-injector",
        mixinStandardHelpOptions = true,
        description = "Kubernetes sidecar injector. Without a command it serves the admission webhook.",
        subcommands = {
            KubeInjectCommand.class,
            CheckInjectCommand.class,
            CheckConfigCommand.class,
            TlsBootstrapCommand.class
        })
public class RootCommand {}
