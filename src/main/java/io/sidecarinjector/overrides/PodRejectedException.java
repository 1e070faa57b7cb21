package io.sidecarinjector.overrides;

/** The pod asks for something that cannot be honoured (an unknown template, an invalid annotation value). */
public class PodRejectedException extends RuntimeException {

    public PodRejectedException(String message) {
        super(message);
    }

    public PodRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
