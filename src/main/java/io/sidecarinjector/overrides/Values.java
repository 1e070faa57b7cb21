package io.sidecarinjector.overrides;

/** How a value from a pod is quoted in a message: on one line, escaped, and cut short. */
public final class Values {

    private Values() {
    }

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
