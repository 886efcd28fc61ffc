package org.gitopssync.ci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gitopssync.nix.NixVersion;

/**
 * What fully determines an evaluation: the commit, the attributes selected, and the Nix that
 * evaluates with its options. The commit, not only its tree: a flake sees its own {@code rev},
 * {@code revCount} and {@code lastModified} ({@code system.configurationRevision = self.rev}), so
 * two commits with the same tree may evaluate to different systems. Options can hold credentials,
 * so only a digest of them is ever stored.
 */
record EvaluationKey(String commit, String selection, String nix, Map<String, String> options) {

    EvaluationKey {
        options = new TreeMap<>(options);
    }

    static EvaluationKey of(String commit, EvalRequest request, NixVersion version, Map<String, String> options) {
        String selection = "checks=" + (request.checks() ? request.checksAttribute() + "." + request.system() : "-")
                + "\nhosts=" + (request.allHosts() ? "*" : String.join(",", request.hosts().stream().sorted().toList()));
        return new EvaluationKey(commit, selection, version.toString(), options);
    }

    /**
     * Whether an evaluation under these options may be remembered: not with {@code pure-eval}
     * turned off, where it may read the environment, the clock or files outside the flake.
     */
    boolean pure() {
        String pureEval = options.get("pure-eval");
        return pureEval == null || pureEval.strip().equals("true");
    }

    /** The key as stored: a SHA-256 over every part, each length-prefixed so no two keys can collide by concatenation. */
    String id() {
        List<String> parts = new ArrayList<>(List.of("ci-evaluation-1", commit, selection, nix));
        options.forEach((k, v) -> {
            parts.add(k);
            parts.add(v);
        });
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        // never the options: they may hold access tokens
        return commit + " (" + selection.replace('\n', ' ') + ", " + nix + ")";
    }
}
