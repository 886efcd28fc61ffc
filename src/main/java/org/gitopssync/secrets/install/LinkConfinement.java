package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;

/**
 * Where a manifest's {@code path} links may not go: the agent's own directories (state, secrets root, system
 * profiles) and {@code /nix}. A link is judged by where it really lands, symlinked parent directories followed.
 */
public final class LinkConfinement {

    /** A directory no link may go into, and how a person calls it. */
    record Area(Path dir, String name) {
    }

    private final List<Area> areas;

    LinkConfinement(List<Area> areas) {
        this.areas = List.copyOf(areas);
    }

    /** The agent's directories; {@code /nix} is always protected. */
    public static LinkConfinement of(Path stateDir, Path secretsRoot, Path profileDir) {
        return new LinkConfinement(List.of(new Area(stateDir, "the agent's state directory"),
                new Area(secretsRoot, "the secrets root"), new Area(profileDir, "the system profile directory"),
                new Area(Path.of("/nix"), "the Nix directory")));
    }

    /** Throws naming the protected directory when {@code link} lands in one (or would replace one's parent). */
    void check(Path link) {
        for (Path part : link) {
            if (part.toString().equals("..")) {
                throw new SecretsException("path " + link + " contains \"..\"; write the link's real location");
            }
        }
        Path nominal = link.toAbsolutePath().normalize();
        // the link itself is judged by where it stands, not by where an existing link points
        Path landing = real(nominal.getParent()).resolve(nominal.getFileName());
        for (Area area : areas) {
            Path dir = area.dir().toAbsolutePath().normalize();
            for (Path protectedDir : List.of(dir, real(dir))) {
                if (landing.startsWith(protectedDir) || protectedDir.startsWith(landing)) {
                    throw new SecretsException("path " + link + (landing.equals(nominal) ? "" : " (really " + landing
                            + ")") + " is inside " + area.name() + " " + area.dir()
                            + "; links must stay outside the agent's own directories");
                }
            }
        }
    }

    /** The real location of {@code p}: its deepest existing ancestor with symlinks resolved, plus the rest. */
    private static Path real(Path p) {
        Path existing = p;
        Optional<Path> rest = Optional.empty();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = Optional.of(rest.map(name::resolve).orElse(name));
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        Path base;
        try {
            base = existing.toRealPath();
        } catch (IOException e) {
            base = existing;
        }
        return rest.map(base::resolve).orElse(base);
    }
}
