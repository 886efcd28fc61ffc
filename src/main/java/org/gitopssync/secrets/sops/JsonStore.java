package org.gitopssync.secrets.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntConsumer;
import org.gitopssync.secrets.SecretsException;

/** sops's JSON store: ordered objects, int64 integers else floats; output as Go's json.Indent with tabs. */
class JsonStore implements SopsStore {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public Loaded load(String fileName, byte[] content) {
        return MetadataExtraction.nested(fileName, List.of(parseObject(fileName, content)));
    }

    static SopsBranch parseObject(String fileName, byte[] content) {
        try (JsonParser parser = FACTORY.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new SecretsException(fileName + ": sops JSON files must hold a top-level object");
            }
            return readObject(parser, fileName, 1);
        } catch (StreamConstraintsException e) {
            throw SopsLimits.tooDeep(fileName, "");
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the offending token, which could be a secret: report the position only.
            JsonLocation at = e.getLocation();
            throw new SecretsException(fileName + ": invalid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new SecretsException(fileName + ": cannot read JSON: " + e.getMessage(), e);
        }
    }

    private static SopsBranch readObject(JsonParser parser, String fileName, int depth) throws IOException {
        if (depth > SopsLimits.MAX_DEPTH) {
            throw SopsLimits.tooDeep(fileName, " at line " + parser.currentLocation().getLineNr());
        }
        SopsBranch branch = new SopsBranch();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            branch.add(new KeyValue(key, readValue(parser, fileName, depth)));
        }
        return branch;
    }

    private static Object readValue(JsonParser parser, String fileName, int depth) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readObject(parser, fileName, depth + 1);
            case START_ARRAY:
                if (depth + 1 > SopsLimits.MAX_DEPTH) {
                    throw SopsLimits.tooDeep(fileName, " at line " + parser.currentLocation().getLineNr());
                }
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, fileName, depth + 1));
                }
                return items;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseFailure("unexpected JSON token " + token, parser);
        }
    }

    /** json.Number: Int64() when the literal is an integer within int64, otherwise Float64(). */
    private static Object number(String literal) {
        if (literal.matches("-?\\d+")) {
            BigInteger value = new BigInteger(literal);
            if (value.bitLength() < 64) {
                return value.longValueExact();
            }
        }
        return Double.parseDouble(literal);
    }

    @Override
    public byte[] emit(List<SopsBranch> branches) {
        StringBuilder out = new StringBuilder();
        writeValue(out, branches.get(0), 0);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] emitValue(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value, 0);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeValue(StringBuilder out, Object value, int depth) {
        if (value instanceof SopsBranch branch) {
            List<KeyValue> pairs = branch.pairs();
            writeContainer(out, depth, '{', '}', pairs.size(), i -> {
                writeString(out, pairs.get(i).key());
                out.append(": ");
                writeValue(out, pairs.get(i).value(), depth + 1);
            });
        } else if (value instanceof List<?> list) {
            List<?> items = list.stream().filter(item -> !(item instanceof Comment)).toList();
            writeContainer(out, depth, '[', ']', items.size(), i -> writeValue(out, items.get(i), depth + 1));
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(out, text);
        } else if (value instanceof Double number) {
            out.append(formatFloat(number));
        } else if (value instanceof GoTime time) {
            writeString(out, time.rfc3339Nano());
        } else if (value instanceof byte[] bytes) {
            writeString(out, Base64.getEncoder().encodeToString(bytes));
        } else {
            out.append(value);
        }
    }

    private static void writeContainer(StringBuilder out, int depth, char open, char close, int size,
            IntConsumer element) {
        out.append(open);
        if (size == 0) {
            out.append(close);
            return;
        }
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : ",").append('\n').append("\t".repeat(depth + 1));
            element.accept(i);
        }
        out.append('\n').append("\t".repeat(depth)).append(close);
    }

    /** encoding/json float formatting: 'f' unless the magnitude is below 1e-6 or at least 1e21. */
    static String formatFloat(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new SecretsException("cannot write " + GoNumbers.formatF(value) + " as JSON");
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
            return GoNumbers.formatE(value).replaceFirst("e-0(\\d)$", "e-$1");
        }
        return GoNumbers.formatF(value);
    }

    /** encoding/json string escaping, HTML-safe as json.Marshal does by default. */
    static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !validSurrogatePair(text, i)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogatePair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    private static final class JsonParseFailure extends JsonProcessingException {
        JsonParseFailure(String message, JsonParser parser) {
            super(message, parser.currentLocation());
        }
    }
}
