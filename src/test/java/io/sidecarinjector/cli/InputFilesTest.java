package io.sidecarinjector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code -f} as istioctl takes it: a file, or standard input for {@code -}. */
class InputFilesTest {

    @Test
    void aDashReadsStandardInput() throws Exception {
        String yaml = "kind: Pod\n";
        assertEquals(yaml, InputFiles.read("-", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aMissingFileIsNamed() {
        CliException e = assertThrows(
                CliException.class, () -> InputFiles.read("/no/such.yaml", new ByteArrayInputStream(new byte[0])));
        assertEquals("/no/such.yaml: no such file", e.getMessage());
    }
}
