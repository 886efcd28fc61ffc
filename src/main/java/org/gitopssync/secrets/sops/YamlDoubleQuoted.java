package org.gitopssync.secrets.sops;

/** go-yaml v3's double-quoted scalar escaping. */
final class YamlDoubleQuoted {

    private YamlDoubleQuoted() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            boolean escape = !YamlScalars.isPrintable(cp) || cp == 0xFEFF || YamlScalars.isBreak(cp)
                    || cp == '"' || cp == '\\';
            if (!escape) {
                out.appendCodePoint(cp);
                return;
            }
            out.append('\\');
            switch (cp) {
                case 0x00 -> out.append('0');
                case 0x07 -> out.append('a');
                case 0x08 -> out.append('b');
                case 0x09 -> out.append('t');
                case 0x0A -> out.append('n');
                case 0x0B -> out.append('v');
                case 0x0C -> out.append('f');
                case 0x0D -> out.append('r');
                case 0x1B -> out.append('e');
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case 0x85 -> out.append('N');
                case 0xA0 -> out.append('_');
                case 0x2028 -> out.append('L');
                case 0x2029 -> out.append('P');
                default -> {
                    if (cp <= 0xFF) {
                        out.append(String.format("x%02X", cp));
                    } else if (cp <= 0xFFFF) {
                        out.append(String.format("u%04X", cp));
                    } else {
                        out.append(String.format("U%08X", cp));
                    }
                }
            }
        });
        return out.toString();
    }
}
