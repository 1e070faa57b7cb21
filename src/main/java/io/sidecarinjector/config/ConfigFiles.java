package io.sidecarinjector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the configuration documents from files; a file that is set but absent means defaults. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static InjectorConfig load(Optional<Path> injectionFile, Optional<Path> meshFile)
            throws InvalidConfigException {
        return ConfigDocuments.load(read(injectionFile), read(meshFile));
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
