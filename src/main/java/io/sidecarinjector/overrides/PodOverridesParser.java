package io.sidecarinjector.overrides;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.istio.MeshSchema;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.istio.YamlTree;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a pod's injection annotations. An invalid value rejects the pod with a message that names
 * the annotation and the value: injecting something other than what was asked for would be worse.
 */
public final class PodOverridesParser {

    /** Longest annotation value accepted; Kubernetes allows 256 KiB for all annotations together. */
    static final int MAX_VALUE_LENGTH = 64 * 1024;

    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-/:@+]*");
    private static final Pattern LOG_LEVEL = Pattern.compile("trace|debug|info|warning|warn|error|critical|off");
    private static final Pattern COMPONENT_LOG_LEVEL = Pattern.compile(
            "[a-z_]+:(trace|debug|info|warning|warn|error|critical|off)(,[a-z_]+:(trace|debug|info|warning|warn|error|critical|off))*");

    private PodOverridesParser() {}

    /** @throws PodRejectedException naming the first invalid annotation and its value */
    public static PodOverrides parse(Map<String, String> annotations) {
        List<String> warnings = new ArrayList<>();
        for (String key : annotations.keySet()) {
            if (key.startsWith("sidecar.istio.io/") && !Annotations.KNOWN_SIDECAR.contains(key)) {
                warnings.add("annotation " + key + " is not recognised by this injector and has no effect");
            }
        }
        Reader r = new Reader(annotations);
        Optional<JsonNode> proxyConfig = r.get(Annotations.PROXY_CONFIG).flatMap(text -> proxyConfig(r, text));
        return new PodOverrides(
                r.get(Annotations.PROXY_IMAGE).map(v -> r.matching(Annotations.PROXY_IMAGE, v, IMAGE, "an image name")),
                r.get(Annotations.INTERCEPTION_MODE)
                        .map(v -> r.oneOf(Annotations.INTERCEPTION_MODE, v, Set.of("REDIRECT", "TPROXY", "NONE"))),
                r.get(Annotations.PROXY_CPU).map(v -> r.quantity(Annotations.PROXY_CPU, v)),
                r.get(Annotations.PROXY_MEMORY).map(v -> r.quantity(Annotations.PROXY_MEMORY, v)),
                r.get(Annotations.PROXY_CPU_LIMIT).map(v -> r.quantity(Annotations.PROXY_CPU_LIMIT, v)),
                r.get(Annotations.PROXY_MEMORY_LIMIT).map(v -> r.quantity(Annotations.PROXY_MEMORY_LIMIT, v)),
                r.get(Annotations.INCLUDE_OUTBOUND_IP_RANGES)
                        .map(v -> r.cidrs(Annotations.INCLUDE_OUTBOUND_IP_RANGES, v, true)),
                r.get(Annotations.EXCLUDE_OUTBOUND_IP_RANGES)
                        .map(v -> r.cidrs(Annotations.EXCLUDE_OUTBOUND_IP_RANGES, v, false)),
                r.get(Annotations.INCLUDE_INBOUND_PORTS).map(v -> r.ports(Annotations.INCLUDE_INBOUND_PORTS, v, true)),
                r.get(Annotations.EXCLUDE_INBOUND_PORTS).map(v -> r.ports(Annotations.EXCLUDE_INBOUND_PORTS, v, false)),
                r.get(Annotations.EXCLUDE_OUTBOUND_PORTS)
                        .map(v -> r.ports(Annotations.EXCLUDE_OUTBOUND_PORTS, v, false)),
                r.get(Annotations.STATUS_PORT).map(v -> r.port(Annotations.STATUS_PORT, v, 0)),
                r.get(Annotations.REWRITE_PROBES).map(v -> r.bool(Annotations.REWRITE_PROBES, v)),
                r.get(Annotations.NATIVE_SIDECAR).map(v -> r.bool(Annotations.NATIVE_SIDECAR, v)),
                proxyConfig,
                r.namedJson(Annotations.USER_VOLUME, Volume.class, (name, volume) -> volume.setName(name)),
                r.namedJson(Annotations.USER_VOLUME_MOUNT, VolumeMount.class, (name, mount) -> mount.setName(name)),
                r.get(Annotations.LOG_LEVEL)
                        .map(v -> r.matching(
                                Annotations.LOG_LEVEL,
                                v,
                                LOG_LEVEL,
                                "one of trace, debug, info, warning, error, critical, off")),
                r.get(Annotations.COMPONENT_LOG_LEVEL)
                        .map(v -> r.matching(
                                Annotations.COMPONENT_LOG_LEVEL, v, COMPONENT_LOG_LEVEL, "a list of component:level")),
                warnings);
    }

    /**
     * The {@code proxy.istio.io/config} annotation: any ProxyConfig field, checked against Istio's schema, with
     * every field under its JSON name; empty when it says nothing.
     */
    private static Optional<JsonNode> proxyConfig(Reader r, String text) {
        try {
            YamlTree tree = YamlTree.parse(new TextDocument(VALUE, text));
            if (tree.isEmpty()) {
                return Optional.empty();
            }
            MeshSchema.checkProxyConfig(tree);
            return Optional.of(MeshSchema.normalized(tree.tree(), "ProxyConfig"));
        } catch (InvalidConfigException e) {
            // "value:3: unknown key ..." reads "line 3: unknown key ..."; "value: ..." reads "..."
            String why = e.getMessage()
                    .replaceFirst("^" + VALUE + ":(\\d+): ", "line $1: ")
                    .replaceFirst("^" + VALUE + ": ", "");
            throw r.invalid(Annotations.PROXY_CONFIG, text, Messages.oneLine(why));
        }
    }

    private static final String VALUE = "value";

    /** Typed readers of annotation values; each failure names the annotation and the value. */
    private static final class Reader {
        private final Map<String, String> annotations;

        Reader(Map<String, String> annotations) {
            this.annotations = annotations;
        }

        Optional<String> get(String key) {
            String value = annotations.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw invalid(key, value, "longer than " + MAX_VALUE_LENGTH + " characters");
            }
            return Optional.of(value);
        }

        PodRejectedException invalid(String key, String value, String why) {
            return new PodRejectedException(
                    "annotation " + key + "=\"" + Messages.shown(value) + "\" is invalid: " + why);
        }

        String matching(String key, String value, Pattern pattern, String what) {
            if (!pattern.matcher(value).matches()) {
                throw invalid(key, value, "expected " + what);
            }
            return value;
        }

        String oneOf(String key, String value, Set<String> allowed) {
            if (!allowed.contains(value)) {
                throw invalid(
                        key,
                        value,
                        "expected one of "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
            return value;
        }

        boolean bool(String key, String value) {
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(key, value, "expected true or false");
            };
        }

        String quantity(String key, String value) {
            try {
                Quantity quantity = new Quantity(value);
                if (quantity.getNumericalAmount().signum() < 0) {
                    throw invalid(key, value, "a resource quantity cannot be negative");
                }
                return value;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw invalid(key, value, "not a Kubernetes quantity (e.g. 100m, 1, 128Mi)");
            }
        }

        int port(String key, String value, int min) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port < min || port > 65535) {
                    throw invalid(key, value, "a port must be from " + min + " to 65535");
                }
                return port;
            } catch (NumberFormatException e) {
                throw invalid(key, value, "not a port number");
            }
        }

        String ports(String key, String value, boolean allowStar) {
            return list(value, allowStar, part -> String.valueOf(port(key, part, 1)));
        }

        String cidrs(String key, String value, boolean allowStar) {
            return list(value, allowStar, part -> {
                String cidr = part.trim();
                if (!Cidr.isValid(cidr)) {
                    throw invalid(key, value, "'" + Messages.shown(cidr) + "' is not a CIDR such as 10.0.0.0/8");
                }
                return cidr;
            });
        }

        /** A comma-separated list, each item checked and normalised; empty or (where allowed) {@code *} as it is. */
        private static String list(String value, boolean allowStar, java.util.function.UnaryOperator<String> item) {
            String trimmed = value.trim();
            if (trimmed.isEmpty() || (allowStar && trimmed.equals("*"))) {
                return trimmed;
            }
            List<String> items = new ArrayList<>();
            for (String part : trimmed.split(",")) {
                items.add(item.apply(part));
            }
            return String.join(",", items);
        }

        <T> List<T> namedJson(String key, Class<T> type, java.util.function.BiConsumer<String, T> naming) {
            Optional<String> text = get(key);
            if (text.isEmpty() || text.get().isBlank()) {
                return List.of();
            }
            JsonNode tree;
            try {
                tree = Mappers.JSON.readTree(text.get());
            } catch (JsonProcessingException e) {
                throw invalid(key, text.get(), "not valid JSON (" + Messages.oneLine(e.getOriginalMessage()) + ")");
            }
            if (!(tree instanceof ObjectNode byName)) {
                throw invalid(key, text.get(), "expected a JSON object of name: definition");
            }
            List<T> items = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = byName.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isObject()) {
                    throw invalid(
                            key,
                            text.get(),
                            "the definition of '" + Messages.shown(field.getKey()) + "' is not an object");
                }
                try {
                    T item = Mappers.JSON.treeToValue(field.getValue(), type);
                    naming.accept(field.getKey(), item);
                    items.add(item);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw invalid(
                            key,
                            text.get(),
                            "'" + Messages.shown(field.getKey()) + "' is not a valid " + type.getSimpleName() + " ("
                                    + Messages.oneLine(e.getMessage()) + ")");
                }
            }
            return items;
        }
    }
}
