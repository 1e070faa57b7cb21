package io.sidecarinjector.config;

/** A configuration document that cannot be used; the message names the document, the key and the line if known. */
public class InvalidConfigException extends Exception {

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
