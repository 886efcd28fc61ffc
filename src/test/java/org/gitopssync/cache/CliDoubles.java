package org.gitopssync.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.nix.CommandRunner;

/**
 * Stand-ins for cachix, attic and niks3: shell scripts on a runner's PATH that record their
 * arguments, environment, and what attic's config / niks3's token file held (content and modes)
 * while they ran, then exit with scripted codes and messages.
 */
final class CliDoubles {

    private static final String SCRIPT = """
            #!/bin/sh
            d='%1$s'
            tool='%2$s'
            i=$(ls "$d" | grep -c "^$tool-[0-9]*\\.args$")
            i=$((i + 1))
            for a in "$@"; do printf '%%s\\n' "$a"; done > "$d/$tool-$i.args"
            env > "$d/$tool-$i.env"
            if [ "$tool" = attic ] && [ -n "$XDG_CONFIG_HOME" ]; then
              stat -c '%%a' "$XDG_CONFIG_HOME" "$XDG_CONFIG_HOME/attic" "$XDG_CONFIG_HOME/attic/config.toml" > "$d/$tool-$i.modes"
              cat "$XDG_CONFIG_HOME/attic/config.toml" > "$d/$tool-$i.config"
            fi
            if [ "$tool" = niks3 ] && [ -n "$NIKS3_AUTH_TOKEN_FILE" ]; then
              stat -c '%%a' "$NIKS3_AUTH_TOKEN_FILE" > "$d/$tool-$i.modes"
              cat "$NIKS3_AUTH_TOKEN_FILE" > "$d/$tool-$i.config"
            fi
            echo "$tool double: $# arguments"
            code=0
            if [ -s "$d/$tool.exits" ]; then
              code=$(head -n 1 "$d/$tool.exits")
              sed -i '1d' "$d/$tool.exits"
            fi
            if [ "$code" != 0 ] && [ -f "$d/$tool.message" ]; then cat "$d/$tool.message" >&2; fi
            exit "$code"
            """;

    private final Path bin;
    private final Path records;

    CliDoubles(Path base) {
        this.bin = base.resolve("bin");
        this.records = base.resolve("records");
        try {
            Files.createDirectories(bin);
            Files.createDirectories(records);
            for (String tool : List.of("cachix", "attic", "niks3")) {
                Path script = bin.resolve(tool);
                Files.writeString(script, String.format(SCRIPT, records, tool));
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A runner finding the doubles first on its PATH. */
    CommandRunner runner() {
        return new org.gitopssync.testing.RecordingCommandRunner(Map.of("PATH", bin + ":" + System.getenv("PATH")));
    }

    /** The next calls of {@code tool} exit with these codes, printing {@code message} to stderr when non-zero. */
    void script(String tool, String message, int... codes) {
        StringBuilder sb = new StringBuilder();
        for (int c : codes) {
            sb.append(c).append('\n');
        }
        write(tool + ".exits", sb.toString());
        write(tool + ".message", message + "\n");
    }

    int calls(String tool) {
        try (Stream<Path> s = Files.list(records)) {
            return (int) s.filter(p -> p.getFileName().toString().matches(tool + "-[0-9]+\\.args")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> args(String tool, int call) {
        return read(tool + "-" + call + ".args").lines().toList();
    }

    /** The value of one variable in the call's environment, or null when unset. */
    String env(String tool, int call, String name) {
        return read(tool + "-" + call + ".env").lines().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElse(null);
    }

    /** The octal modes the double saw (attic: config home, attic dir, config file; niks3: token file). */
    List<String> modes(String tool, int call) {
        return read(tool + "-" + call + ".modes").lines().toList();
    }

    /** What attic's config.toml or niks3's token file held during the call. */
    String privateFile(String tool, int call) {
        return read(tool + "-" + call + ".config");
    }

    Path records() {
        return records;
    }

    private String read(String name) {
        try {
            return Files.readString(records.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String content) {
        try {
            Files.writeString(records.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
