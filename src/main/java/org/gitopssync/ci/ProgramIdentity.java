package org.gitopssync.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which build of a program runs, without starting it: its resolved path (a Nix store path names its
 * version and inputs) with its size and modification time (an upgrade in place outside the store).
 */
final class ProgramIdentity {

    private ProgramIdentity() {
    }

    /** The identity of the program at {@code program}; its path alone when it cannot be resolved. */
    static String of(Path program) {
        try {
            Path real = program.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            return real + " " + a.size() + " " + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return program.toString();
        }
    }
}
