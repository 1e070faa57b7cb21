package io.sidecarinjector;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.sidecarinjector.cli.RootCommand;
import io.sidecarinjector.nativeimage.ImageWarmUp;
import io.sidecarinjector.training.ClassDataTraining;
import jakarta.inject.Inject;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * Entry point of the packaged artifact (jar or native executable). With no arguments it serves the webhook; with
 * a command ({@code kube-inject}, {@code check-inject}, {@code --help}) it runs that command and exits, opening no
 * port. The jar build's own run, with {@code -Dsidecar-injector.class-data-training=true}, serves just long enough
 * to answer its training requests (see {@link ClassDataTraining}).
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    @Inject
    ClassDataTraining training;

    public static void main(String... args) {
        if (args.length > 0) {
            // a command must not bind the webhook's port, and its standard output is data, not log
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("quarkus.log.level", "WARN");
        }
        if (args.length > 0 || ClassDataTraining.requested()) {
            // the shutdown delay lets endpoints drop a serving pod; a command or the training run serves no one
            System.setProperty("quarkus.shutdown.delay", "0s");
        }
        ImageWarmUp.besideJvmStart();
        Quarkus.run(Main.class, args);
    }

    /**
     * SIGTERM is how Kubernetes asks a pod to stop: a normal end, so the process exits 0 after the graceful
     * shutdown (readiness DOWN for quarkus.shutdown.delay, then requests in flight drained), not 143.
     */
    private static void exitZeroOnSigterm() {
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            if (ClassDataTraining.requested()) {
                return training.run();
            }
            exitZeroOnSigterm();
            Quarkus.waitForExit();
            return 0;
        }
        return new CommandLine(RootCommand.class, factory).execute(args);
    }
}
