package io.sidecarinjector.config;

import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.TextDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Istio's three documents as they are on disk now. A file that is set but absent means the defaults. Paths are
 * read through symbolic links each time, so a ConfigMap update (an atomic swap of the {@code ..data} link) is seen
 * whole.
 */
public record ConfigFiles(Optional<TextDocument> mesh, Optional<TextDocument> config, Optional<TextDocument> values) {

    public static ConfigFiles read(Optional<Path> meshFile, Optional<Path> configFile, Optional<Path> valuesFile)
            throws InvalidConfigException {
        return new ConfigFiles(read(meshFile), read(configFile), read(valuesFile));
    }

    public static ConfigFiles read(ServiceSettings settings) throws InvalidConfigException {
        return read(settings.meshFile(), settings.configFile(), settings.valuesFile());
    }

    public IstioDocuments load() throws InvalidConfigException {
        return IstioDocuments.load(mesh, config, values);
    }

    private static Optional<TextDocument> read(Optional<Path> file) throws InvalidConfigException {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new TextDocument(file.get().toString(), Files.readString(file.get(), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidConfigException(file.get() + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
