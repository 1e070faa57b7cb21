package io.sidecarinjector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A folder laid out as the kubelet lays out a mounted ConfigMap: each key is a symbolic link
 * {@code key -> ..data/key}, {@code ..data} a link to a timestamped folder, and an update writes a new folder and
 * swaps {@code ..data} in one rename.
 */
public final class ConfigMapDir {

    private final Path root;
    private final AtomicInteger generation = new AtomicInteger();

    private ConfigMapDir(Path root) {
        this.root = root;
    }

    public static ConfigMapDir create(Map<String, String> files) {
        try {
            ConfigMapDir dir = new ConfigMapDir(Files.createTempDirectory("configmap"));
            dir.publish(files);
            for (String key : files.keySet()) {
                Files.createSymbolicLink(dir.root.resolve(key), Path.of("..data", key));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String key) {
        return root.resolve(key);
    }

    /** Writes a new generation and swaps it in atomically. */
    public void publish(Map<String, String> files) {
        try {
            Path data = root.resolve("..gen_" + generation.incrementAndGet());
            Files.createDirectory(data);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(data.resolve(file.getKey()), file.getValue());
            }
            Path tmp = root.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, data.getFileName());
            Files.move(
                    tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
