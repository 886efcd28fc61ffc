package org.gitopssync.config;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings as the agent will use them, flattened to dotted keys. Credential sources appear
 * as where they come from; no secret value is ever read to produce this.
 */
public final class EffectiveSettings {

    // record components whose Java name cannot be the key (wait() is Object's) or that live in another record
    private static final Map<String, String> WRITTEN_AS = Map.of(
            "fleet.wait_for", "fleet.wait",
            "deploy.reboot.booted_system", "deploy.booted_system");

    private EffectiveSettings() {
    }

    /** Dotted key to display value, in declaration order. */
    public static Map<String, Object> flatten(Settings settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        walk("", settings, out);
        return out;
    }

    /** TOML-like lines for humans. */
    public static List<String> lines(Settings settings) {
        List<String> out = new ArrayList<>();
        flatten(settings).forEach((k, v) -> out.add(k + " = " + display(v)));
        return out;
    }

    private static void walk(String prefix, Object value, Map<String, Object> out) {
        // Before records: every credential source is a record, and must show as where it comes from.
        if (value instanceof CredentialSource cs) {
            out.put(prefix, "<" + cs.describe() + ">");
        } else if (value instanceof Optional<?> optional) {
            // An unset optional section shows as unset; a set one as its keys, like any other section.
            if (optional.isPresent()) {
                walk(prefix, optional.get(), out);
            } else {
                out.put(prefix, null);
            }
        } else if (value instanceof CiSettings.Hosts hosts) {
            out.put(prefix, hosts.mode() == CiSettings.Hosts.Mode.LIST ? hosts.names() : ConfigSection.wordOf(hosts.mode()));
        } else if (value instanceof RebootSettings.Window window) {
            out.put(prefix, window.text());
        } else if (value instanceof HooksSettings hooks) {
            walk(prefix, hooks.hooks(), out);
        } else if (value instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (r instanceof HooksSettings.Hook && c.getName().equals("index")) {
                    continue;
                }
                try {
                    Object v = c.getAccessor().invoke(r);
                    String name = TomlKeyName.of(c.getName());
                    String key = prefix.isEmpty() ? name : prefix + "." + name;
                    walk(WRITTEN_AS.getOrDefault(key, key), v, out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (value instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.put(prefix, Map.of());
            }
            m.forEach((k, v) -> walk(prefix + "." + k, v, out));
        } else if (value instanceof Collection<?> c && !c.isEmpty() && c.iterator().next() instanceof Record) {
            int i = 0;
            for (Object o : c) {
                walk(prefix + "[" + i++ + "]", o, out);
            }
        } else if (value instanceof Collection<?> c && !c.isEmpty() && c.iterator().next() instanceof Enum) {
            out.put(prefix, c.stream().map(e -> ConfigSection.wordOf((Enum<?>) e)).toList());
        } else if (value instanceof Duration d) {
            out.put(prefix, SystemdDuration.format(d));
        } else if (value instanceof Path p) {
            out.put(prefix, p.toString());
        } else if (value instanceof Enum<?> e) {
            out.put(prefix, ConfigSection.wordOf(e));
        } else {
            out.put(prefix, value);
        }
    }

    private static String display(Object v) {
        if (v == null) {
            return "(unset)";
        }
        if (v instanceof String s) {
            return s.startsWith("<") && s.endsWith(">") ? s : "\"" + s + "\"";
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(display(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }
}
