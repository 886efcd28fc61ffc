package org.gitopssync.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.config.DeploySettings.ActivationUnit;

/**
 * Runs an activation program ({@code switch-to-configuration} or {@code nixos-rebuild}) in its own transient
 * systemd unit, as nixos-rebuild runs switch-to-configuration: the activation restarts changed units, the
 * agent's own among them, and a program in the agent's cgroup would be killed with it.
 */
public final class TransientUnit {

    private static final Path SYSTEMD_RUNNING = Path.of("/run/systemd/system");

    private final boolean enabled;
    private final Duration timeout;

    private TransientUnit(boolean enabled, Duration timeout) {
        this.enabled = enabled;
        this.timeout = timeout;
    }

    /**
     * {@code deploy.activation_unit}: {@code auto} uses a unit when systemd manages this machine. Killing
     * {@code systemd-run} at {@code timeout} would leave the unit running: systemd stops it itself then.
     */
    public static TransientUnit of(ActivationUnit mode, Duration timeout) {
        return new TransientUnit(switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> Files.isDirectory(SYSTEMD_RUNNING);
        }, timeout);
    }

    /** Activation runs as a child of the agent, as in tests and the demo. */
    public static TransientUnit never() {
        return new TransientUnit(false, Duration.ZERO);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The command line that runs {@code argv} for the system at {@code outPath} with operation {@code op}: in a
     * unit named after both, waited for, its output piped to ours, collected even when it fails.
     */
    List<String> wrap(List<String> argv, String outPath, String op) {
        if (!enabled) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of("systemd-run",
                "--unit=gitops-sync-activate-" + storeHash(outPath) + "-" + op,
                "--description=gitops-sync: " + op + " " + outPath,
                "--wait", "--collect", "--service-type=exec", "--pipe", "--quiet", "--no-ask-password",
                // as nixos-rebuild: the new system sets its own locale archive; the bootloader flag passes through
                "-E", "LOCALE_ARCHIVE", "-E", "NIXOS_INSTALL_BOOTLOADER",
                "--property=KillMode=mixed",
                "--property=RuntimeMaxSec=" + Math.max(1, timeout.toSeconds()) + "s",
                "--"));
        out.addAll(argv);
        return out;
    }

    /** The first eight characters of a store path's hash (the whole name when it is not a store path). */
    static String storeHash(String outPath) {
        String name = Path.of(outPath).getFileName().toString();
        String hash = name.length() > 8 ? name.substring(0, 8) : name;
        return hash.replaceAll("[^A-Za-z0-9]", "_");
    }
}
