package org.gitopssync.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a program a test sets things up with (git, age, gpg, ssh-keygen, the project's scripts) and fails loudly. */
final class Programs {

    private static final long TIMEOUT_SECONDS = 60;

    private Programs() {
    }

    /**
     * What {@code builder}'s program printed on stdout after reading {@code input} (null: nothing); an
     * {@link IllegalStateException} starting with {@code what} and ending with that output when it exits non-zero or
     * runs longer than a minute after closing stdout.
     */
    static byte[] output(ProcessBuilder builder, byte[] input, String what) {
        try {
            Process p = builder.start();
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input);
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " failed" + (out.length == 0 ? ""
                        : ":\n" + new String(out, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #output} as text. */
    static String text(ProcessBuilder builder, String what) {
        return new String(output(builder, null, what), StandardCharsets.UTF_8);
    }
}
