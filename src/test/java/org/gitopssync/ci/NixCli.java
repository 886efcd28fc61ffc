package org.gitopssync.ci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The real nix command line, for test set-up (recording what a tool would have printed). */
final class NixCli {

    private NixCli() {
    }

    static String evalRaw(String installable) {
        List<String> argv = List.of("nix", "--extra-experimental-features", "nix-command flakes", "eval", "--raw",
                installable);
        try {
            Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("nix eval --raw " + installable + " failed");
            }
            return out.trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
