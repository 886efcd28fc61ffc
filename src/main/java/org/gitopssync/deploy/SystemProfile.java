package org.gitopssync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.config.DeploySettings.Operation;

/**
 * The Nix profile that holds the system generations ({@code /nix/var/nix/profiles/system} points
 * at {@code system-N-link}, which points at a store path) and the link to the running system.
 */
public final class SystemProfile {

    private static final Pattern GENERATION = Pattern.compile("^(.*)-(\\d+)-link$");

    private final Path profile;
    private final Path currentSystem;

    public SystemProfile(Path profile, Path currentSystem) {
        this.profile = profile;
        this.currentSystem = currentSystem;
    }

    public Path path() {
        return profile;
    }

    /** The profile's current generation, if it has one. */
    public Optional<Generation> current() {
        try {
            if (!Files.isSymbolicLink(profile)) {
                return Optional.empty();
            }
            Path link = Files.readSymbolicLink(profile);
            Matcher m = GENERATION.matcher(link.getFileName().toString());
            if (!m.matches()) {
                return Optional.empty();
            }
            Path genLink = profile.resolveSibling(link.getFileName());
            return Optional.of(new Generation(Integer.parseInt(m.group(2)), genLink.toRealPath().toString()));
        } catch (IOException e) {
            throw new DeployException("cannot read system profile " + profile + ": " + e.getMessage(), e);
        }
    }

    /** The store path the machine runs now ({@code /run/current-system}), if known. */
    public Optional<String> running() {
        try {
            return Files.exists(currentSystem) ? Optional.of(currentSystem.toRealPath().toString()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The system an operation would replace: the boot default for {@code boot}, else the running one. */
    public Optional<String> replacedBy(Operation operation) {
        return operation == Operation.BOOT ? current().map(Generation::outPath) : running();
    }

    /** A numbered generation of the profile and the system it points at. */
    public record Generation(int number, String outPath) {
    }
}
