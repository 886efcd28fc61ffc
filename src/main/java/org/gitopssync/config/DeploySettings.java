package org.gitopssync.config;

import java.nio.file.Path;
import java.time.Duration;

/** {@code [deploy]}: how a built system is activated. */
public record DeploySettings(
        DeployMethod method,
        Operation operation,
        boolean rollbackOnFailure,
        Path profile,
        Path currentSystem,
        String nixosRebuild,
        Duration activationTimeout,
        HealthSettings health,
        ActivationUnit activationUnit,
        RebootSettings reboot,
        OnDrift onDrift) {

    /** Whether activation runs in its own transient systemd unit, which a restart of the agent cannot kill. */
    public enum ActivationUnit {
        /** When {@code /run/systemd/system} exists. */
        AUTO,
        ALWAYS,
        NEVER
    }

    /** What a cycle does when the running system is not the one the agent last deployed. */
    public enum OnDrift {
        /** Record and report the drift, and deploy nothing until {@code gitops-sync resume}. */
        SUSPEND,
        /** Report the drift and carry on: the next deployment replaces the hand-made system. */
        DEPLOY
    }

    /** How activation happens. */
    public enum DeployMethod {
        /** {@code nixos-rebuild <op> --flake <ref>#<host>}. */
        NIXOS_REBUILD,
        /** {@code nix-env -p <profile> --set <out>} then {@code <out>/bin/switch-to-configuration <op>}. */
        PROFILE
    }

    /** What activation does, as nixos-rebuild names it. */
    public enum Operation {
        SWITCH, BOOT, TEST, DRY_ACTIVATE, BUILD;

        /** The word nixos-rebuild and switch-to-configuration take. */
        public String word() {
            return ConfigSection.wordOf(this);
        }

        /** Whether this operation makes the build the profile's new generation. */
        public boolean setsProfile() {
            return this == SWITCH || this == BOOT;
        }

        /** Whether this operation changes the running system. */
        public boolean activates() {
            return this == SWITCH || this == TEST;
        }
    }

    static DeploySettings from(ConfigSection s) {
        return new DeploySettings(
                s.choice("method", DeployMethod.class, DeployMethod.NIXOS_REBUILD),
                s.choice("operation", Operation.class, Operation.SWITCH),
                s.bool("rollback_on_failure", true),
                s.path("profile", Path.of("/nix/var/nix/profiles/system")),
                s.path("current_system", Path.of("/run/current-system")),
                s.string("nixos_rebuild", "nixos-rebuild"),
                s.duration("activation_timeout", Duration.ofMinutes(30)),
                HealthSettings.from(s.section("health")),
                s.choice("activation_unit", ActivationUnit.class, ActivationUnit.AUTO),
                RebootSettings.from(s),
                s.choice("on_drift", OnDrift.class, OnDrift.SUSPEND));
    }
}
