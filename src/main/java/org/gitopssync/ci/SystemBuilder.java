package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.BuiltDerivation;
import org.gitopssync.nix.Nix;

/** Builds {@code nixosConfigurations.<host>.config.system.build.toplevel} of an exact commit. */
public final class SystemBuilder {

    private final Nix nix;
    private final Path gcRoots;
    private final Duration timeout;

    public SystemBuilder(Nix nix, Path gcRoots, Duration timeout) {
        this.nix = nix;
        this.gcRoots = gcRoots;
        this.timeout = timeout;
    }

    /** The flake attribute of a host's system; the name is quoted so dots and dashes are safe. */
    public static String toplevelAttribute(String host) {
        return "nixosConfigurations.\"" + host + "\".config.system.build.toplevel";
    }

    public BuiltSystem build(String flakeRef, String host, Path log, Cancellation cancellation) {
        String attribute = toplevelAttribute(host);
        List<BuiltDerivation> built = nix.build(List.of(flakeRef + "#" + attribute),
                gcRoots.resolve("system-" + host), log, timeout, cancellation);
        BuiltDerivation d = built.get(0);
        return new BuiltSystem(host, attribute, d.drvPath(), d.out());
    }
}
