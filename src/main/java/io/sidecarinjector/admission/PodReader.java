package io.sidecarinjector.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code request.object} as a JSON tree, and that tree into the Pod model with the types of the Kubernetes
 * schema: a value of the wrong JSON type (a number where a string belongs, the string "true" where a boolean does,
 * an object as an annotation value) is refused with the path of the field, where Jackson by default would convert
 * it. The API server validates a pod before it asks the webhook, so such a pod never comes from it; answering it as
 * if it were fine would hide a broken client, and a converted value is not the one that would be stored.
 */
final class PodReader {

    /** {@link Mappers#JSON}: scalars of the wrong type are refused. */
    private static final ObjectReader READER = Mappers.JSON.readerFor(Pod.class);

    private PodReader() {}

    /**
     * The pod as it came: its JSON tree, which the patch is computed against and the injected pod starts from, and
     * the model read from that tree, which the decision and the templates' values read. The bytes are parsed once;
     * the model is not written back to a tree.
     *
     * @param pod the pod in the model
     * @param tree the pod's JSON as it came, or null when {@code request.object} is not a JSON object
     */
    record Submitted(Pod pod, ObjectNode tree) {}

    /** @throws InvalidAdmissionReviewException when the pod's JSON does not fit the Pod schema */
    static Submitted read(byte[] body, int offset, int length) throws InvalidAdmissionReviewException {
        try {
            JsonNode tree = Mappers.JSON.readTree(body, offset, length);
            // the parser is closed only after the message is made: a closed parser no longer says where it was
            try (JsonParser parser = READER.treeAsTokens(tree)) {
                try {
                    Pod pod = READER.readValue(parser);
                    return new Submitted(pod, tree instanceof ObjectNode object ? object : null);
                } catch (MismatchedInputException e) {
                    throw new InvalidAdmissionReviewException(wrongType(e, parser), e);
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidAdmissionReviewException(
                    "request.object is not a valid Pod: " + AdmissionReviewReader.oneLine(e.getOriginalMessage())
                            + at(e),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidAdmissionReviewException(
                    "request.object is not a valid Pod: " + AdmissionReviewReader.oneLine(e.getMessage()), e);
        }
    }

    /**
     * {@code request.object.spec.containers[0].ports: expected a list, got a string ("8080")}, as far as it can be
     * said; else the reader's own message with the path.
     */
    private static String wrongType(MismatchedInputException e, JsonParser parser) {
        String expected = expected(e.getTargetType());
        String got = got(parser.currentToken());
        if (expected == null || got == null) {
            return "request.object is not a valid Pod: " + AdmissionReviewReader.oneLine(e.getOriginalMessage())
                    + at(e);
        }
        return path(e.getPath()) + ": expected " + expected + ", got " + got + shown(parser);
    }

    /** A scalar's text, in brackets; nothing for an object or a list. */
    private static String shown(JsonParser parser) {
        try {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return " (\"" + Messages.shown(parser.getText()) + "\")";
            }
            return token.isScalarValue() ? " (" + Messages.shown(parser.getText()) + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String at(JsonProcessingException e) {
        return e instanceof JsonMappingException m && !m.getPath().isEmpty() ? " at " + path(m.getPath()) : "";
    }

    /** The field's path from {@code request.object}: a map's keys in brackets, since keys hold dots and slashes. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder("request.object");
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFrom() instanceof Map<?, ?>) {
                path.append("[\"")
                        .append(Messages.shown(String.valueOf(reference.getFieldName())))
                        .append("\"]");
            } else {
                path.append('.').append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == IntOrString.class) {
            return "an integer or a string";
        }
        if (type == Quantity.class) {
            return "a quantity (a string or a number)";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String got(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }
}
