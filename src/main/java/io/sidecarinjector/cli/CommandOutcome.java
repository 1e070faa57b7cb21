package io.sidecarinjector.cli;

import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.support.Messages;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How the commands end: exit code 0, or one {@code error:} line on standard error and exit code 1. */
final class CommandOutcome {

    /** A command's work, given its standard output and error. */
    @FunctionalInterface
    interface Work {
        void run(PrintWriter out, PrintWriter err) throws CliException, InvalidConfigException, IOException;
    }

    private CommandOutcome() {}

    static int of(CommandSpec spec, Work work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            work.run(out, err);
            return 0;
        } catch (InvalidConfigException e) {
            err.println("error: invalid configuration: " + e.getMessage());
            return 1;
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
