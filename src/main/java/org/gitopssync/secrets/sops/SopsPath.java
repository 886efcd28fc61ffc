package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** A sops {@code --extract} path such as {@code ["app"]["db"][0]}: strings select keys, numbers list items. */
record SopsPath(List<Object> components) {

    static SopsPath parse(String text) {
        List<Object> components = new ArrayList<>();
        for (String part : text.split("\\[", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (!part.endsWith("]") || part.length() < 2) {
                throw new SecretsException("invalid extract path " + text + ": component " + part + " does not end with ]");
            }
            String inner = part.substring(0, part.length() - 1);
            char first = inner.charAt(0);
            if (first == '"' || first == '\'') {
                if (inner.length() < 2 || inner.charAt(inner.length() - 1) != first) {
                    throw new SecretsException("invalid extract path " + text + ": unterminated quote");
                }
                components.add(inner.substring(1, inner.length() - 1));
            } else {
                components.add(GoNumbers.atoi(inner).map(Long::intValue).orElseThrow(() ->
                        new SecretsException("invalid extract path " + text + ": " + inner + " is neither quoted nor a number")));
            }
        }
        return new SopsPath(List.copyOf(components));
    }

    /** The value at this path in the first document. */
    Object resolve(String fileName, SopsBranch document) {
        Object current = document;
        for (Object component : components) {
            if (component instanceof String key) {
                if (!(current instanceof SopsBranch branch)) {
                    throw new SecretsException(fileName + ": component ['" + key + "'] is not inside a mapping");
                }
                current = branch.find(key).orElseThrow(() ->
                        new SecretsException(fileName + ": component ['" + key + "'] not found")).value();
            } else {
                int index = (Integer) component;
                if (!(current instanceof List<?> list)) {
                    throw new SecretsException(fileName + ": component [" + index + "] is an index, but the value is not a list");
                }
                List<?> items = list.stream().filter(item -> !(item instanceof Comment)).toList();
                if (index < 0 || index >= items.size()) {
                    throw new SecretsException(fileName + ": component [" + index + "] is out of bounds");
                }
                current = items.get(index);
            }
        }
        return current;
    }
}
