package io.sidecarinjector.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.support.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Golden files: {@code <case>.in.yaml} is an input pod, {@code <case>.out.yaml} the pod injection must produce. A
 * folder's {@code config/} holds the Istio documents its cases are injected with ({@code mesh.yaml},
 * {@code config.yaml}, {@code values.yaml}, each optional) and istiod's switches ({@code env}, lines NAME=value).
 * Run with {@code -Dgolden.refresh=true} to rewrite the expected files: the run then fails, so that every refresh
 * is seen and reviewed.
 */
public final class GoldenFiles {

    /** Cases injected with the built-in configuration. */
    public static final Path DIR = Path.of("src/test/resources/golden");
    /** Cases injected with the configuration in {@code golden-custom/config/}. */
    public static final Path CUSTOM_DIR = Path.of("src/test/resources/golden-custom");
    /** Cases injected with native sidecars on. */
    public static final Path NATIVE_DIR = Path.of("src/test/resources/golden-native");
    /** Cases injected with Istio's CNI plugin doing the capture. */
    public static final Path CNI_DIR = Path.of("src/test/resources/golden-cni");
    /** Every folder of pod cases. */
    public static final List<Path> POD_DIRS = List.of(DIR, CUSTOM_DIR, NATIVE_DIR, CNI_DIR);

    private static final boolean REFRESH = Boolean.getBoolean("golden.refresh");
    public static final String IN = ".in.yaml";
    public static final String OUT = ".out.yaml";

    /** The configuration of a folder of cases, from its {@code config/}; the defaults where it has none. */
    public static ActiveConfig config(Engine engine, Path dir) {
        Path config = dir.resolve("config");
        try {
            Map<String, String> env = new java.util.HashMap<>();
            Path envFile = config.resolve("env");
            if (Files.exists(envFile)) {
                for (String line : Files.readAllLines(envFile)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        env.put(
                                line.substring(0, eq).trim(),
                                line.substring(eq + 1).trim());
                    }
                }
            }
            env.putIfAbsent(IstioSwitches.NATIVE_SIDECARS_VARIABLE, "false");
            IstioDocuments documents = ConfigFiles.read(
                            Optional.of(config.resolve("mesh.yaml")),
                            Optional.of(config.resolve("config.yaml")),
                            Optional.of(config.resolve("values.yaml")))
                    .load();
            return ActiveConfigFactory.build(engine, documents, "", IstioSwitches.from(env), () -> false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    private GoldenFiles() {}

    /** The names of the input cases, without their extension. */
    public static List<String> cases() {
        return cases(DIR);
    }

    public static List<String> cases(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(IN))
                    .map(n -> n.substring(0, n.length() - IN.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Pod input(String name) {
        return input(DIR, name);
    }

    public static Pod input(Path dir, String name) {
        return read(dir.resolve(name + IN), Pod.class);
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return Mappers.YAML.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares as structures; with the refresh switch, writes the actual value and fails. */
    public static void assertMatches(Path expectedFile, JsonNode actual) {
        try {
            refreshOrRequire(expectedFile, Mappers.YAML.writeValueAsString(actual));
            JsonNode expected = Mappers.YAML.readTree(expectedFile.toFile());
            // one number type for both sides: a tree built from objects holds longs where a parsed one holds ints
            JsonNode normalised = Mappers.YAML.readTree(Mappers.YAML.writeValueAsString(actual));
            assertEquals(
                    Mappers.YAML.writeValueAsString(sorted(expected)),
                    Mappers.YAML.writeValueAsString(sorted(normalised)),
                    "differs from " + expectedFile);
            assertEquals(expected, normalised, "differs from " + expectedFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With the refresh switch, writes the expected file and fails; without it, fails if the file is missing. */
    private static void refreshOrRequire(Path expectedFile, String actual) throws IOException {
        if (REFRESH) {
            Files.writeString(expectedFile, actual);
            fail("golden file refreshed: " + expectedFile + " (run again without -Dgolden.refresh)");
        }
        if (!Files.exists(expectedFile)) {
            fail("missing golden file " + expectedFile + ": run with -Dgolden.refresh=true and review it");
        }
    }

    /** Compares text line by line; with the refresh switch, writes the actual text and fails. */
    public static void assertText(Path expectedFile, String actual) {
        try {
            refreshOrRequire(expectedFile, actual);
            assertEquals(Files.readString(expectedFile), actual, "differs from " + expectedFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares multi-document YAML document by document, as structures. */
    public static void assertDocuments(Path expectedFile, String actualYaml) {
        try {
            refreshOrRequire(expectedFile, actualYaml);
            List<JsonNode> expected = documents(Files.readString(expectedFile));
            List<JsonNode> actual = documents(actualYaml);
            assertEquals(expected.size(), actual.size(), "number of documents in " + expectedFile);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(
                        Mappers.YAML.writeValueAsString(sorted(expected.get(i))),
                        Mappers.YAML.writeValueAsString(sorted(actual.get(i))),
                        "document " + (i + 1) + " of " + expectedFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> documents(String yaml) throws IOException {
        try (var it = Mappers.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return it.readAll().stream()
                    .map(n -> (JsonNode) n)
                    .filter(n -> n != null && !n.isNull())
                    .toList();
        }
    }

    /** The same tree with the keys of every mapping sorted, so that a text diff shows only real differences. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Mappers.JSON.createObjectNode();
            new TreeMap<String, JsonNode>(
                            Mappers.JSON.convertValue(node, new TypeReference<Map<String, JsonNode>>() {}))
                    .forEach((k, v) -> copy.set(k, sorted(v)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Mappers.JSON.createArrayNode();
            node.forEach(e -> copy.add(sorted(e)));
            return copy;
        }
        return node;
    }

    public static Path injected(String name) {
        return injected(DIR, name);
    }

    public static Path injected(Path dir, String name) {
        return dir.resolve(name + OUT);
    }
}
