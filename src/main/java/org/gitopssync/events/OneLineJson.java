package org.gitopssync.events;

import java.util.Map;

/**
 * One JSON object on one line from numbers, strings and nulls: what an event carries. Written by hand so a
 * one-shot command, which publishes events nobody reads, does not load a JSON library for them.
 */
final class OneLineJson {

    private OneLineJson() {
    }

    static String object(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder(96).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, f.getKey());
            out.append(':');
            Object v = f.getValue();
            if (v == null) {
                out.append("null");
            } else if (v instanceof Number) {
                out.append(v);
            } else {
                string(out, v.toString());
            }
        }
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                // control characters (a newline would end the SSE data line) and JavaScript's line separators
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
