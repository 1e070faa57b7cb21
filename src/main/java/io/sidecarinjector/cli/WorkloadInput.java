package io.sidecarinjector.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The workload YAML a command reads, and the namespace its pods are decided in. */
public class WorkloadInput {

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "Input YAML (multi-document and kind: List accepted); - reads standard input.")
    String file;

    @Option(
            names = "--namespace",
            paramLabel = "NAMESPACE",
            description = "Namespace used for the ignored-namespace rule (default: each document's, else default).")
    String namespace;

    String text() throws CliException {
        return InputFiles.read(file, System.in);
    }

    /** How the input is named in messages. */
    String source() {
        return "-".equals(file) ? "stdin" : file;
    }

    Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }
}
