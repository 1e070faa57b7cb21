package io.sidecarinjector.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML in and out, document order kept. */
final class YamlDocuments {

    private YamlDocuments() {}

    /** Empty documents (a stray {@code ---}) are dropped. */
    static List<JsonNode> read(String source, String text) throws CliException {
        List<JsonNode> documents = new ArrayList<>();
        int number = 0;
        try (MappingIterator<JsonNode> it =
                Mappers.YAML.readerFor(JsonNode.class).readValues(text)) {
            while (true) {
                number++;
                if (!it.hasNextValue()) {
                    break;
                }
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            // a document that does not parse, named by its number; any other failure as it is
            if (e instanceof JsonProcessingException jpe) {
                String line = jpe.getLocation() == null
                        ? ""
                        : ", line " + jpe.getLocation().getLineNr();
                throw new CliException(
                        source + ": document " + number + line + ": YAML does not parse: "
                                + Messages.oneLine(jpe.getOriginalMessage()),
                        e);
            }
            throw new CliException(source + ": " + Messages.oneLine(e.getMessage()), e);
        }
        return documents;
    }

    static String write(List<JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            try {
                out.append(Mappers.YAML.writeValueAsString(documents.get(i)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a document could not be written as YAML", e);
            }
        }
        return out.toString();
    }
}
