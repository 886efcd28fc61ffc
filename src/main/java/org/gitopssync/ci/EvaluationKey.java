package org.gitopssync.ci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.gitopssync.nix.NixVersion;

/**
 * What fully determines an evaluation: the commit, the attributes selected, the Nix and the
 * evaluator that evaluate, with Nix's options ({@code [nix.options]} and the {@code NIX_CONFIG} the
 * nix children get). The commit, not only its tree: a flake sees its own {@code rev},
 * {@code revCount} and {@code lastModified} ({@code system.configurationRevision = self.rev}), so
 * two commits with the same tree may evaluate to different systems. Options can hold credentials,
 * so only a digest of them is ever stored.
 */
record EvaluationKey(String commit, String selection, String nix, String evaluator, Map<String, String> options,
        String nixConfig) {

    /** Settings under which an evaluation may read what the flake does not pin, with the value that allows it. */
    private static final Map<String, String> IMPURE = Map.of("pure-eval", "false",
            "allow-unsafe-native-code-during-evaluation", "true", "accept-flake-config", "true");

    EvaluationKey {
        options = new TreeMap<>(options);
        nixConfig = nixConfig == null ? "" : nixConfig;
    }

    /**
     * {@code evaluator}: the evaluator's name and what identifies its build (the resolved program);
     * {@code nixConfig}: the {@code NIX_CONFIG} of the nix children's environment, or null.
     */
    static EvaluationKey of(String commit, EvalRequest request, NixVersion version, String evaluator,
            Map<String, String> options, String nixConfig) {
        // each part length-prefixed: attribute "a.b" of system "c" is not attribute "a" of system "b.c"
        String selection = "checks=" + (request.checks()
                        ? sized(request.checksAttribute()) + sized(request.system()) : "-")
                + "\nhosts=" + (request.allHosts() ? "*"
                        : request.hosts().stream().sorted().map(EvaluationKey::sized).collect(Collectors.joining()));
        return new EvaluationKey(commit, selection, version.toString(), evaluator, options, nixConfig);
    }

    private static String sized(String part) {
        return part.length() + ":" + part;
    }

    /**
     * Whether an evaluation under these settings may be remembered: not with {@code pure-eval}
     * turned off, unsafe native code allowed or the flake's own {@code nixConfig} accepted, where it
     * may read the environment, the clock, files outside the flake or settings the commit chooses.
     * {@code [nix.options]} are passed as {@code --option} and win over {@code NIX_CONFIG}.
     */
    boolean pure() {
        for (Map.Entry<String, String> impure : IMPURE.entrySet()) {
            String value = options.containsKey(impure.getKey()) ? options.get(impure.getKey())
                    : configured(impure.getKey());
            if (value == null) {
                continue;
            }
            boolean isPureEval = impure.getKey().equals("pure-eval");
            // pure-eval: anything but "true" is not known to be pure; the others: only "true" allows anything
            if (isPureEval ? !value.strip().equals("true") : value.strip().equals(impure.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The last value {@code NIX_CONFIG} gives {@code name}, as nix reads it (later lines win), or null. */
    private String configured(String name) {
        String value = null;
        for (String line : nixConfig.split("\n")) {
            int hash = line.indexOf('#');
            String setting = hash < 0 ? line : line.substring(0, hash);
            int eq = setting.indexOf('=');
            if (eq > 0 && setting.substring(0, eq).strip().equals(name)) {
                value = setting.substring(eq + 1).strip();
            }
        }
        return value;
    }

    /** The key as stored: a SHA-256 over every part, each length-prefixed so no two keys can collide by concatenation. */
    String id() {
        List<String> parts = new ArrayList<>(List.of("ci-evaluation-2", commit, selection, nix, evaluator));
        options.forEach((k, v) -> {
            parts.add(k);
            parts.add(v);
        });
        parts.add("NIX_CONFIG");
        parts.add(nixConfig);
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
        // never the options nor NIX_CONFIG: they may hold access tokens
        return commit + " (" + selection.replace('\n', ' ') + ", " + nix + ", " + evaluator + ")";
    }
}
