package io.sidecarinjector.render;

/** A template that failed to render, or rendered something that is not a pod fragment. */
public class RenderException extends RuntimeException {

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }

    public RenderException(String message) {
        super(message);
    }
}
