package io.sidecarinjector.support;

/** Messages on one line: how a value from a pod is quoted, and how a library's message is folded. */
public final class Messages {

    private Messages() {}

    /** A message folded onto one line; empty for none. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** A value from a pod as a message quotes it: on one line, escaped, and cut short. */
    public static String shown(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
            if (escaped.length() > 100) {
                return escaped.substring(0, 100) + "...";
            }
        }
        return escaped.toString();
    }
}
