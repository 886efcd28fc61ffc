package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** An executable named {@code systemctl} that records each call's arguments as one line (tests never touch units). */
public final class SystemctlDouble {

    private final Path dir;

    private SystemctlDouble(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code dir/systemctl}; put {@code dir} first on a runner's PATH or use {@link #path()} directly. */
    public static SystemctlDouble install(Path dir) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("systemctl");
            Files.writeString(script, """
                    #!/bin/sh
                    # test double: records its arguments, one call per line; exits with the code in systemctl.exit
                    printf '%%s\\n' "$*" >> '%1$s/systemctl.calls'
                    code=0
                    [ -f '%1$s/systemctl.exit' ] && read -r code < '%1$s/systemctl.exit'
                    exit "$code"
                    """.formatted(dir));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new SystemctlDouble(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return dir.resolve("systemctl");
    }

    public Path dir() {
        return dir;
    }

    /** A PATH with the double first. */
    public String pathVariable() {
        return dir + ":" + System.getenv("PATH");
    }

    /** Every call so far, e.g. {@code "try-restart a.service b.service"}. */
    public List<String> calls() {
        try {
            Path log = dir.resolve("systemctl.calls");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(dir.resolve("systemctl.calls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes later calls exit with {@code code}. */
    public void exitWith(int code) {
        try {
            Files.writeString(dir.resolve("systemctl.exit"), code + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
