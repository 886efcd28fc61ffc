package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Record components name their configuration keys as the regular expression the walks used before did. */
class TomlKeyNameTest {

    @Test
    void namesTheKeysOfEveryComponentOfTheSettingsRecords() {
        Set<String> components = componentsUnder(Settings.class);
        assertThat(components).as("the walk found the settings").contains("pollInterval", "maxParallelBuilds", "webhookSecret")
                .hasSizeGreaterThan(100);
        for (String component : components) {
            assertThat(TomlKeyName.of(component)).as(component).isEqualTo(byPattern(component));
        }
    }

    @Test
    void putsAnUnderscoreOnlyAfterALowerCaseLetterOrDigit() {
        assertThat(TomlKeyName.of("pollInterval")).isEqualTo("poll_interval");
        assertThat(TomlKeyName.of("keepUnchanged")).isEqualTo("keep_unchanged");
        assertThat(TomlKeyName.of("sha256Sum")).isEqualTo("sha256_sum");
        assertThat(TomlKeyName.of("url")).isEqualTo("url");
        assertThat(TomlKeyName.of("TTL")).isEqualTo("ttl");
        assertThat(TomlKeyName.of("httpURLPath")).isEqualTo("http_urlpath").isEqualTo(byPattern("httpURLPath"));
        assertThat(TomlKeyName.of("aBcD")).isEqualTo("a_bc_d").isEqualTo(byPattern("aBcD"));
        assertThat(TomlKeyName.of("")).isEmpty();
    }

    private static String byPattern(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The component names of a record and of every record its components hold, directly or in a generic type. */
    private static Set<String> componentsUnder(Class<?> root) {
        Set<String> names = new HashSet<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Type> next = new ArrayDeque<>();
        next.add(root);
        while (!next.isEmpty()) {
            Type t = next.poll();
            if (t instanceof ParameterizedType p) {
                next.addAll(List.of(p.getActualTypeArguments()));
                t = p.getRawType();
            }
            if (t instanceof Class<?> c && c.isRecord() && seen.add(c)) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    names.add(rc.getName());
                    next.add(rc.getGenericType());
                }
            }
        }
        return names;
    }
}
