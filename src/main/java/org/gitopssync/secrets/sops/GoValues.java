package org.gitopssync.secrets.sops;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** How sops turns tree values into bytes and text (sops.ToBytes, stores.ValToString). */
final class GoValues {

    private GoValues() {
    }

    /** sops.ToBytes: what the MAC hashes for a leaf. */
    static byte[] macBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return macText(value).getBytes(StandardCharsets.UTF_8);
    }

    static String macText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double number) {
            return GoNumbers.formatF(number);
        }
        if (value instanceof Boolean flag) {
            return flag ? "True" : "False";
        }
        if (value instanceof GoTime time) {
            return time.rfc3339Nano();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Comment comment) {
            return comment.text();
        }
        throw new IllegalArgumentException("not a leaf value: " + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    static String typeName(Object value) {
        if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof GoTime) {
            return "time";
        }
        return "str";
    }

    /** stores.ValToString, used by the dotenv and INI stores for non-string values. */
    static String flatText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Double number) {
            String text = GoNumbers.formatG(number, true);
            return text.contains(".") || text.contains("E") || text.contains("Inf") || text.contains("NaN")
                    ? text
                    : text + ".0";
        }
        if (value instanceof GoTime time) {
            return time.rfc3339();
        }
        if (value instanceof byte[] bytes) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < bytes.length; i++) {
                out.append(i == 0 ? "" : " ").append(bytes[i] & 0xff);
            }
            return out.append(']').toString();
        }
        if (value == null) {
            return "<nil>";
        }
        return value.toString();
    }
}
