package org.gitopssync.app;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.gitopssync.Cancellation;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.Nix;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.state.CycleOutcome;

/**
 * Whether a daemon must restart after a cycle because the system it deployed, and now runs, carries another build of
 * the agent than the one this process runs from. Only an agent running from the Nix store can tell; one run from
 * anywhere else (a development build, the tests) never restarts.
 */
public final class AgentRestart {

    /** Where an agent installed by Nix runs from; a store elsewhere is not one this agent is installed in. */
    static final Path STORE = Path.of("/nix/store");

    private final Optional<String> runningPackage;
    private final Supplier<Optional<String>> activeSystem;
    private final Function<String, Collection<String>> closure;

    /**
     * @param runningPackage the store path this process runs from, if it runs from the store
     * @param activeSystem the system the machine runs now (after a {@code boot} it is still the old one)
     * @param closure the store paths a system's closure holds
     */
    AgentRestart(Optional<String> runningPackage, Supplier<Optional<String>> activeSystem,
            Function<String, Collection<String>> closure) {
        this.runningPackage = runningPackage;
        this.activeSystem = activeSystem;
        this.closure = closure;
    }

    /** The agent package to restart into after this cycle, if any. */
    public Optional<String> after(CycleReport report) {
        if (runningPackage.isEmpty() || report.outcome() != CycleOutcome.DEPLOYED || report.outPath() == null
                || report.outPath().isEmpty()) {
            return Optional.empty();
        }
        // made the boot default but not activated: the unit still starts this package until the reboot
        if (!activeSystem.get().map(report.outPath()::equals).orElse(false)) {
            return Optional.empty();
        }
        return newPackage(runningPackage.get(), closure.apply(report.outPath()));
    }

    /**
     * Another build of the running package in a closure: one with the same name (before its version) and another
     * path. None when the closure holds the running package itself, or no agent at all (the agent was removed, and
     * its unit is kept until the next boot).
     */
    static Optional<String> newPackage(String running, Collection<String> closure) {
        if (closure.contains(running)) {
            return Optional.empty();
        }
        String name = packageName(running);
        return closure.stream().filter(p -> packageName(p).equals(name)).sorted().findFirst();
    }

    /** The store path a file of this process lies in, if it lies in the store. */
    static Optional<String> storePathOf(Path file, Path store) {
        Path f = file.toAbsolutePath().normalize();
        if (!f.startsWith(store) || f.getNameCount() <= store.getNameCount()) {
            return Optional.empty();
        }
        return Optional.of(store.resolve(f.getName(store.getNameCount())).toString());
    }

    /** For this process: its code's store path, the profile's running system, closures from {@code nix-store}. */
    static AgentRestart of(Nix nix, SystemProfile profile) {
        return new AgentRestart(runningPackage(), profile::running, system -> {
            List<String> argv = nix.program("nix-store", "--query", "--requisites", "--", system);
            return nix.runner().runChecked(Command.of(argv).capturingStdout().withTimeout(Duration.ofMinutes(2)),
                    Cancellation.none()).stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        });
    }

    /** The store path this process's code was loaded from, if it was loaded from the store. */
    private static Optional<String> runningPackage() {
        CodeSource code = AgentRestart.class.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return storePathOf(Path.of(code.getLocation().toURI()), STORE);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "gitops-sync" of ".../abc...-gitops-sync-1.4.0": the name up to the first dash before a non-letter, as Nix splits it. */
    static String packageName(String storePath) {
        String base = Path.of(storePath).getFileName().toString();
        int dash = base.indexOf('-');
        String name = dash < 0 ? base : base.substring(dash + 1);
        for (int i = 0; i < name.length() - 1; i++) {
            if (name.charAt(i) == '-' && !Character.isLetter(name.charAt(i + 1))) {
                return name.substring(0, i);
            }
        }
        return name;
    }
}
