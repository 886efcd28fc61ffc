package org.gitopssync.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gitopssync.testing.DemoFlakeRepo;

/**
 * The real {@code nix-instantiate}, run in the project root with a clean Nix environment: no
 * {@code NIX_PATH} (so nothing resolves {@code <nixpkgs>} by accident) and no network.
 */
final class NixInstantiate {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private NixInstantiate() {
    }

    static Path projectRoot() {
        return DemoFlakeRepo.projectRoot();
    }

    static Result run(List<String> args) {
        return run(args, Map.of());
    }

    static Result run(List<String> args, Map<String, String> extraEnv) {
        List<String> argv = new ArrayList<>();
        argv.add("nix-instantiate");
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(projectRoot().toFile());
        pb.environment().remove("NIX_PATH");
        pb.environment().put("NIX_CONFIG", "experimental-features = nix-command flakes\nsubstituters =");
        pb.environment().putAll(extraEnv);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nix-instantiate " + String.join(" ", args) + ": timed out");
            }
            return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nix-instantiate (is nix installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code nix-instantiate --eval --strict --json --expr EXPR}, parsed; fails with nix's error. */
    static JsonNode evalJson(String expr) {
        Result r = run(List.of("--eval", "--strict", "--json", "--expr", expr));
        if (!r.ok()) {
            throw new AssertionError("nix-instantiate --eval failed (exit " + r.exitCode() + "):\n" + r.stderr()
                    + "\nexpression:\n" + expr);
        }
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.stdout(), e);
        }
    }
}
