package io.sidecarinjector;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.sidecarinjector.cli.RootCommand;
import picocli.CommandLine;

/**
 * Entry point of the packaged artifact (jar or native executable). With no arguments it serves the webhook; with
 * a command ({@code kube-inject}, {@code check-inject}, {@code --help}) it runs that command and exits, opening no
 * port.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        if (args.length > 0) {
            // a command must not bind the webhook's port, and its standard output is data, not log
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("quarkus.log.level", "WARN");
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return new CommandLine(RootCommand.class, factory).execute(args);
    }
}
