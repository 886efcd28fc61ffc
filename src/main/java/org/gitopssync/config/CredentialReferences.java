package org.gitopssync.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every credential source of the settings with its dotted key, found by walking the settings records. */
final class CredentialReferences {

    /** One credential source and the key that names it, e.g. {@code forges[0].webhook_secret}. */
    record Reference(String key, CredentialSource source) {
    }

    private CredentialReferences() {
    }

    static List<Reference> of(Settings settings) {
        List<Reference> out = new ArrayList<>();
        walk("", settings, out);
        return out;
    }

    private static void walk(String key, Object value, List<Reference> out) {
        if (value instanceof CredentialSource source) {
            out.add(new Reference(key, source));
        } else if (value instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    String name = TomlKeyName.of(c.getName());
                    walk(key.isEmpty() ? name : key + "." + name, c.getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (value instanceof Optional<?> o) {
            o.ifPresent(v -> walk(key, v, out));
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(key + "." + k, v, out));
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(key + "[" + i++ + "]", o, out);
            }
        }
    }
}
