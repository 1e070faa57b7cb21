package io.sidecarinjector.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;

/**
 * The project's JSON and YAML mappers. They are plain Jackson mappers (the fabric8 model carries its own
 * annotations), shared because they are thread-safe and costly to build.
 */
public final class Mappers {

    /**
     * Strict JSON, for Kubernetes objects and the pod's annotations: a duplicate key is an error, since two readers
     * of one document must not disagree; a scalar of the wrong JSON type (a number where a string belongs, the
     * string "true" where a boolean does) is an error, as it is for the API server and for Istio's injector, where
     * Jackson by default would convert it. Unknown fields are kept (fabric8's additionalProperties).
     * <p>
     * One mapper reads every Kubernetes object, so the Pod model's (de)serializers are built once: they are large,
     * and a native executable carries them in its image heap.
     */
    public static final ObjectMapper JSON = strictScalars(JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS))
            .build();

    /**
     * For what templates print, read into the model: Jackson's default conversions between scalar types (the
     * templates print numbers quoted, so that a value from the operator's documents can never break the YAML) and
     * an empty string read as absent, through the very deserializers of {@link #JSON}: the two share one cache,
     * so the Pod model's deserializers, which are large and which a native executable carries in its image heap,
     * exist once. Whether a scalar may be converted is asked of each reading's own settings, not fixed in the
     * deserializers.
     */
    public static final ObjectMapper FRAGMENTS = fragments();

    private static ObjectMapper fragments() {
        ObjectMapper mapper = new ObjectMapper(
                new JsonFactory(), null, (DefaultDeserializationContext) JSON.getDeserializationContext());
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull);
        return mapper;
    }

    /** Every conversion between scalar types turned off. */
    private static JsonMapper.Builder strictScalars(JsonMapper.Builder builder) {
        return builder.withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Boolean,
                        c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Float,
                        c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    private static final char DEL = 0x7f;
    private static final ObjectWriter ASCII_JSON = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    /**
     * A value as JSON that a YAML reader accepts whatever it holds: YAML refuses some raw code points even inside
     * quotes (DEL and anything non-printable) but accepts their escapes, so every non-ASCII character and DEL is
     * escaped. JSON is YAML: the result can be printed into a YAML document as one node.
     */
    public static String yamlSafeJson(Object value) {
        try {
            // all ASCII, so written as bytes and taken as Latin-1: no chars to write and compress again
            String json = new String(ASCII_JSON.writeValueAsBytes(value), StandardCharsets.ISO_8859_1);
            return json.indexOf(DEL) < 0 ? json : json.replace(String.valueOf(DEL), "\\u007f");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a value could not be written as JSON", e);
        }
    }

    /**
     * Strict YAML, for configuration documents: unknown keys are errors (a misspelt key must not be ignored), and a
     * key with no value ({@code injectedAnnotations:}) is null, as YAML says, not an empty string.
     */
    public static final ObjectMapper STRICT_YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * Lenient YAML, for Kubernetes objects: fabric8 keeps unknown fields in additionalProperties, and a key with no
     * value ({@code annotations:}) reads as absent, as Kubernetes reads it. The service reads YAML with it into
     * trees only (what templates print, kube-inject's files) and writes trees with it; {@link #FRAGMENTS} reads
     * what templates print into the model, so that this mapper builds no second set of the model's deserializers.
     */
    public static final ObjectMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().build())
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull))
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private Mappers() {}
}
