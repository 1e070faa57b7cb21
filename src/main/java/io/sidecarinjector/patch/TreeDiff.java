package io.sidecarinjector.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The RFC 6902 operations (add, remove, replace only) that turn one JSON tree into another, in one walk of both.
 * It is shaped for what injection does to a pod: mappings gain keys, lists of named things (containers,
 * volumes, env) gain items at any place while keeping the others in order, other lists grow at the end or change
 * in place. A list changed in any other way is replaced whole, which is as correct and only larger. The values in
 * the operations are the second tree's own nodes, not copies: the patch is written, not edited.
 */
final class TreeDiff {

    /**
     * Scalars compared as JSON values: an integer read from the pod's JSON and the same integer written from the
     * model (an int or a long) are one value, though their nodes differ in class.
     */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
                    || (a.isIntegralNumber()
                            && b.isIntegralNumber()
                            && a.canConvertToLong()
                            && b.canConvertToLong()
                            && a.longValue() == b.longValue())
            ? 0
            : 1;

    private final ArrayNode ops = Mappers.JSON.createArrayNode();

    private TreeDiff() {}

    static ArrayNode of(JsonNode from, JsonNode to) {
        TreeDiff diff = new TreeDiff();
        diff.node(new StringBuilder(), from, to);
        return diff.ops;
    }

    private void node(StringBuilder path, JsonNode from, JsonNode to) {
        if (from instanceof ObjectNode a && to instanceof ObjectNode b) {
            object(path, a, b);
        } else if (from instanceof ArrayNode a && to instanceof ArrayNode b) {
            array(path, a, b);
        } else if (!from.equals(SAME_VALUE, to)) {
            op("replace", path, to);
        }
    }

    private void object(StringBuilder path, ObjectNode from, ObjectNode to) {
        int length = path.length();
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            appendKey(path, field.getKey());
            JsonNode target = to.get(field.getKey());
            if (target == null) {
                op("remove", path, null);
            } else {
                node(path, field.getValue(), target);
            }
            path.setLength(length);
        }
        fields = to.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!from.has(field.getKey())) {
                appendKey(path, field.getKey());
                op("add", path, field.getValue());
                path.setLength(length);
            }
        }
    }

    private void array(StringBuilder path, ArrayNode from, ArrayNode to) {
        boolean named = named(from) && named(to);
        if (named && keepsOrder(from, to)) {
            namedItems(path, from, to);
        } else if (from.size() <= to.size() && prefix(from, to)) {
            for (int i = from.size(); i < to.size(); i++) {
                item(path, i, "add", to.get(i));
            }
        } else if (!named && from.size() == to.size()) {
            int length = path.length();
            for (int i = 0; i < from.size(); i++) {
                path.append('/').append(i);
                node(path, from.get(i), to.get(i));
                path.setLength(length);
            }
        } else {
            op("replace", path, to);
        }
    }

    /**
     * Items matched by name: each item of the first list is still in the second, in the same order, with new
     * ones anywhere between them. Applied in order, the additions put every item at its index in the second list.
     */
    private void namedItems(StringBuilder path, ArrayNode from, ArrayNode to) {
        int length = path.length();
        int next = 0;
        for (int j = 0; j < to.size(); j++) {
            JsonNode item = to.get(j);
            if (next < from.size() && name(from.get(next)).equals(name(item))) {
                path.append('/').append(j);
                node(path, from.get(next), item);
                path.setLength(length);
                next++;
            } else {
                item(path, j, "add", item);
            }
        }
    }

    private void item(StringBuilder path, int index, String op, JsonNode value) {
        int length = path.length();
        path.append('/').append(index);
        op(op, path, value);
        path.setLength(length);
    }

    /** Whether every item of the first list is in the second, in the same order; names are unique in both. */
    private static boolean keepsOrder(ArrayNode from, ArrayNode to) {
        Set<String> seen = new HashSet<>();
        int next = 0;
        for (JsonNode item : to) {
            String name = name(item);
            if (!seen.add(name)) {
                return false;
            }
            if (next < from.size() && name(from.get(next)).equals(name)) {
                next++;
            }
        }
        Set<String> before = new HashSet<>();
        for (JsonNode item : from) {
            if (!before.add(name(item))) {
                return false;
            }
        }
        return next == from.size();
    }

    private static boolean named(ArrayNode items) {
        for (JsonNode item : items) {
            if (!(item instanceof ObjectNode) || !item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String name(JsonNode item) {
        return item.get("name").textValue();
    }

    private static boolean prefix(ArrayNode from, ArrayNode to) {
        for (int i = 0; i < from.size(); i++) {
            if (!from.get(i).equals(SAME_VALUE, to.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void op(String op, CharSequence path, JsonNode value) {
        ObjectNode operation = ops.addObject();
        operation.put("op", op);
        operation.put("path", path.toString());
        if (value != null) {
            operation.set("value", value);
        }
    }

    /** A key as a JSON Pointer token: '~' is written '~0' and '/' is written '~1'. */
    private static void appendKey(StringBuilder path, String key) {
        path.append('/');
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
            path.append(key); // most keys: nothing to escape, appended whole rather than char by char
            return;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '~') {
                path.append("~0");
            } else if (c == '/') {
                path.append("~1");
            } else {
                path.append(c);
            }
        }
    }
}
