package org.gitopssync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [secrets]}: where decrypted secrets are installed, which keys open them, and how units are restarted.
 *
 * @param root the directory holding generations and the {@code current} link (a tmpfs on NixOS)
 * @param manifest the manifest's path inside the repository
 * @param ageKeyFiles age identity files ({@code AGE-SECRET-KEY-1...} lines)
 * @param sshKeyPaths OpenSSH ed25519 private keys used as age identities (ssh-to-age and ssh-ed25519 stanzas)
 * @param keepGenerations how many generations besides the current one to keep
 * @param restartCommand the systemctl-like program (and leading arguments) that restarts and reloads units
 * @param pgpKeyFiles unprotected OpenPGP secret key files, for sops files encrypted to PGP
 */
public record SecretsSettings(
        Path root,
        String manifest,
        List<Path> ageKeyFiles,
        List<Path> sshKeyPaths,
        int keepGenerations,
        List<String> restartCommand,
        List<Path> pgpKeyFiles) {

    /** The host key sops-nix and agenix use when nothing else is configured. */
    public static final Path DEFAULT_SSH_HOST_KEY = Path.of("/etc/ssh/ssh_host_ed25519_key");

    public SecretsSettings {
        ageKeyFiles = List.copyOf(ageKeyFiles);
        sshKeyPaths = List.copyOf(sshKeyPaths);
        restartCommand = List.copyOf(restartCommand);
        pgpKeyFiles = List.copyOf(pgpKeyFiles);
    }

    static SecretsSettings from(ConfigSection s) {
        Path root = s.path("root", Path.of("/run/gitops-secrets"));
        if (!root.isAbsolute()) {
            throw s.error("root", "expected an absolute path, got \"" + root + "\"");
        }
        String manifest = s.string("manifest", "secrets/manifest.toml");
        if (manifest.isBlank() || manifest.startsWith("/") || List.of(manifest.split("/", -1)).stream()
                .anyMatch(part -> part.isEmpty() || part.equals("..") || part.equals("."))) {
            throw s.error("manifest", "expected a relative path inside the repository, got \"" + manifest + "\"");
        }
        List<String> command = s.strings("restart_command", List.of("systemctl"));
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw s.error("restart_command", "expected a program and its leading arguments, e.g. [\"systemctl\"]");
        }
        List<Path> defaultSsh = Files.exists(DEFAULT_SSH_HOST_KEY) ? List.of(DEFAULT_SSH_HOST_KEY) : List.of();
        return new SecretsSettings(
                root.normalize(),
                manifest,
                absolutePaths(s, "age_key_files", List.of()),
                absolutePaths(s, "ssh_key_paths", defaultSsh),
                s.integer("keep_generations", 1, 0, 100),
                command,
                absolutePaths(s, "pgp_key_files", List.of()));
    }

    private static List<Path> absolutePaths(ConfigSection s, String key, List<Path> fallback) {
        List<String> raw = s.strings(key, null);
        if (raw == null) {
            return fallback;
        }
        List<Path> out = new ArrayList<>();
        for (String p : raw) {
            if (!Path.of(p).isAbsolute()) {
                throw s.error(key, "expected absolute paths, got \"" + p + "\"");
            }
            out.add(Path.of(p));
        }
        return out;
    }
}
