package io.sidecarinjector.istio;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.support.Mappers;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML (or JSON) document read into a tree, with the line of every key, so that an error can name the line of
 * the key at fault. Keys are addressed by JSON Pointer ({@code /defaultConfig/statusPort}).
 *
 * @param document the document it was read from
 * @param tree the document's tree; a missing node for an empty document
 */
public record YamlTree(TextDocument document, JsonNode tree, Map<String, Integer> lines) {

    /** @throws InvalidConfigException naming the document and the line when it is not YAML */
    public static YamlTree parse(TextDocument document) throws InvalidConfigException {
        if (document.text() == null || document.text().isBlank()) {
            return new YamlTree(document, MissingNode.getInstance(), Map.of());
        }
        try {
            JsonNode tree = Mappers.STRICT_YAML.readTree(document.text());
            return new YamlTree(document, tree == null ? MissingNode.getInstance() : tree, keyLines(document.text()));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 0 ? "" : ":" + at.getLineNr();
            throw new InvalidConfigException(document.name() + line + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the document has no content (empty, only comments, or null). */
    public boolean isEmpty() {
        return tree.isMissingNode() || tree.isNull();
    }

    /** {@code name:line} of the key at the pointer, or the document's name when the line is not known. */
    public String where(String pointer) {
        Integer line = lines.get(pointer);
        return line == null ? document.name() : document.name() + ":" + line;
    }

    private static Map<String, Integer> keyLines(String text) throws JsonProcessingException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = Mappers.STRICT_YAML.getFactory().createParser(text)) {
            Deque<Frame> frames = new ArrayDeque<>();
            String field = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    field = escape(parser.currentName());
                    lines.put(
                            pointer(frames) + "/" + field,
                            parser.currentTokenLocation().getLineNr());
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    Frame parent = frames.peekLast();
                    String segment = parent == null ? null : parent.array ? String.valueOf(parent.index) : field;
                    frames.addLast(new Frame(segment, token == JsonToken.START_ARRAY));
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    frames.removeLast();
                    advance(frames);
                } else {
                    advance(frames);
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a document held in memory failed", e);
        }
        return lines;
    }

    /** One open object or list: the path segment that leads to it, and for a list the index of the next item. */
    private static final class Frame {
        final String segment;
        final boolean array;
        int index;

        Frame(String segment, boolean array) {
            this.segment = segment;
            this.array = array;
        }
    }

    private static void advance(Deque<Frame> frames) {
        Frame parent = frames.peekLast();
        if (parent != null && parent.array) {
            parent.index++;
        }
    }

    private static String pointer(Deque<Frame> frames) {
        StringBuilder pointer = new StringBuilder();
        for (Frame frame : frames) {
            if (frame.segment != null) {
                pointer.append('/').append(frame.segment);
            }
        }
        return pointer.toString();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
