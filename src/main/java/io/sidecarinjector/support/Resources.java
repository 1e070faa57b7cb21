package io.sidecarinjector.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Text resources built into the application. */
public final class Resources {

    private Resources() {}

    /**
     * A text resource (UTF-8); its absence is a broken build. Looked up through this class rather than its loader:
     * a native image then searches the one module instead of every module it holds.
     */
    public static String text(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
