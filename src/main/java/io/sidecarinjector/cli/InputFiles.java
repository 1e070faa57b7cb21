package io.sidecarinjector.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code -f} arguments: a file, or standard input for {@code -}. */
final class InputFiles {

    private InputFiles() {}

    static String read(String file, InputStream stdin) throws CliException {
        try {
            if ("-".equals(file)) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": no such file", e);
        } catch (IOException e) {
            throw new CliException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
