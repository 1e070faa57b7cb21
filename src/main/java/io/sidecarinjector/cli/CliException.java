package io.sidecarinjector.cli;

/** A command-line failure; the message is the one line printed to the user. */
public class CliException extends Exception {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
