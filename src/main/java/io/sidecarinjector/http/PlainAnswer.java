package io.sidecarinjector.http;

import io.sidecarinjector.support.Messages;

/**
 * An error answer that is not an AdmissionReview: one line of plain text, so that whoever reads it (an API server
 * log, a curl) learns what was wrong. The AdmissionReview answers carry their message in {@code status.message}.
 */
public final class PlainAnswer {

    /** The content type of every plain answer. */
    public static final String TEXT = "text/plain;charset=UTF-8";

    private PlainAnswer() {}

    /** The message folded onto one line, ended by a newline. */
    public static String line(String message) {
        return Messages.oneLine(message) + "\n";
    }
}
