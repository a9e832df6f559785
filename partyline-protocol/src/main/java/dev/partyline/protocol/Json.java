package dev.partyline.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;

/** The one Jackson setup of the protocol: strict on input, shared and thread-safe. */
public final class Json {
    /** Deeper nesting than this is refused before it can cost stack or time. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Longer numbers are refused: parsing a huge BigInteger or BigDecimal costs quadratic time. */
    static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectMapper MAPPER = createMapper();

    private Json() {}

    /** The shared mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Shorthand for building payloads: {@code Json.nodes().objectNode()}. */
    public static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    private static ObjectMapper createMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        return new ObjectMapper(factory)
                .setNodeFactory(new DecimalKeepingNodeFactory())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // Keep 1.0 as 1.0: stripped to 1 it would be written back as an integer, so a
                // payload would change type each time it is encoded and decoded again.
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }

    /**
     * Gives a decimal of scale 0 one fractional digit. Such a decimal ({@code 1.5e1} is 15 with
     * scale 0) is written without point or exponent, as {@code 15}, and would be read back as an
     * integer node; {@code 15.0} is read back as the same decimal.
     */
    private static final class DecimalKeepingNodeFactory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueNode numberNode(BigDecimal value) {
            return super.numberNode(value != null && value.scale() == 0 ? value.setScale(1) : value);
        }
    }
}
