package io.sidecarinjector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The configuration documents as they are on disk now. A file that is set but absent means defaults. Paths are
 * read through symbolic links each time, so a ConfigMap update (an atomic swap of the {@code ..data} link) is
 * seen whole.
 *
 * @param injection the injection document, if a file is set and present
 * @param mesh the mesh document, if a file is set and present
 */
public record ConfigFiles(Optional<ConfigDocuments.Document> injection, Optional<ConfigDocuments.Document> mesh) {

    public static ConfigFiles read(Optional<Path> injectionFile, Optional<Path> meshFile) throws InvalidConfigException {
        return new ConfigFiles(read(injectionFile), read(meshFile));
    }

    public InjectorConfig load() throws InvalidConfigException {
        return ConfigDocuments.load(injection, mesh);
    }

    private static Optional<ConfigDocuments.Document> read(Optional<Path> file) throws InvalidConfigException {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConfigDocuments.Document(file.get().toString(),
                    Files.readString(file.get(), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidConfigException(file.get() + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
