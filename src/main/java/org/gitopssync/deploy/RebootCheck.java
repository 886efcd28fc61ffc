package org.gitopssync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.config.RebootSettings;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;

/**
 * Decides whether a new system needs a reboot, as NixOS's own auto-upgrade does: its kernel, initrd, kernel
 * modules or kernel params differ from the booted system's (and its {@code reboot-triggers} or
 * {@code switch-inhibitors}, where both systems carry them); runs the reboot command when allowed; and after a
 * reboot tells whether the machine came up in the system it was meant to.
 */
public final class RebootCheck {

    /** Store links whose target decides the boot; compared by where they lead. */
    private static final List<String> BOOT_LINKS = List.of("kernel", "initrd", "kernel-modules");
    /** Files compared by content; reboot-triggers and switch-inhibitors only when both systems have them. */
    private static final List<String> BOOT_FILES = List.of("kernel-params");
    private static final List<String> OPTIONAL_FILES = List.of("reboot-triggers", "switch-inhibitors");

    private final RebootSettings settings;
    private final CommandRunner runner;
    private final Clock clock;

    public RebootCheck(RebootSettings settings, CommandRunner runner, Clock clock) {
        this.settings = settings;
        this.runner = runner;
        this.clock = clock;
    }

    /** What the machine booted, resolved, if the booted-system link exists (not on a fresh or non-NixOS host). */
    public Optional<String> booted() {
        return resolved(settings.bootedSystem()).map(Path::toString);
    }

    /** The plan for activating {@code newSystem}; no reboot is needed when nothing is known of the booted system. */
    public RebootPlan plan(Path newSystem) {
        Path booted = settings.bootedSystem();
        if (resolved(booted).isEmpty()) {
            return RebootPlan.none();
        }
        List<String> changed = changes(booted, newSystem);
        if (changed.isEmpty()) {
            return RebootPlan.none();
        }
        if (!settings.allow()) {
            return new RebootPlan(changed, false, "deploy.reboot.allow is false; reboot by hand");
        }
        LocalTime now = LocalTime.ofInstant(clock.instant(), clock.getZone());
        if (!settings.window().contains(now)) {
            return new RebootPlan(changed, false, "outside the reboot window " + settings.window().text()
                    + "; a later cycle in the window reboots");
        }
        return new RebootPlan(changed, true, "");
    }

    /** Which boot-relevant parts differ between two systems, named as NixOS names them. */
    public static List<String> changes(Path from, Path to) {
        List<String> changed = new ArrayList<>();
        for (String name : BOOT_LINKS) {
            if (!same(from.resolve(name), to.resolve(name))) {
                changed.add(name);
            }
        }
        for (String name : BOOT_FILES) {
            if (!same(from.resolve(name), to.resolve(name))) {
                changed.add(name);
            }
        }
        for (String name : OPTIONAL_FILES) {
            if (Files.exists(from.resolve(name)) && Files.exists(to.resolve(name))
                    && !same(from.resolve(name), to.resolve(name))) {
                changed.add(name);
            }
        }
        return changed;
    }

    /**
     * A system still waiting for its boot, found by a later cycle: runs the reboot command once, when allowed and
     * inside the window. Returns the summary's line when it ran.
     */
    public Optional<String> rebootIfDue(PendingReboot pending, Path log) {
        if (pending.requested() || !settings.allow()
                || !settings.window().contains(LocalTime.ofInstant(clock.instant(), clock.getZone()))) {
            return Optional.empty();
        }
        return Optional.of(pending.name() + " waits for a reboot; " + reboot(log));
    }

    /** Runs the reboot command; the result is the line the summary gets. */
    public String reboot(Path log) {
        CommandResult result = runner.run(Command.of(settings.command()).withTimeout(Duration.ofMinutes(2))
                .loggingTo(log), Cancellation.none());
        String line = String.join(" ", settings.command());
        return result.succeeded() ? "reboot requested: " + line : "the reboot command failed (" + line + "): "
                + result.failureSummary();
    }

    /**
     * After a reboot: "rebooted into generation 7", or "booted an older generation" when the bootloader fell back;
     * empty while the machine still runs the system it booted before.
     */
    public Optional<String> afterBoot(PendingReboot pending) {
        Optional<String> booted = booted();
        if (booted.isEmpty() || booted.get().equals(pending.bootedBefore())) {
            return Optional.empty();
        }
        if (booted.get().equals(resolved(Path.of(pending.outPath())).map(Path::toString).orElse(pending.outPath()))) {
            return Optional.of("rebooted into " + pending.name());
        }
        return Optional.of("booted an older generation (" + booted.get() + ") instead of " + pending.name()
                + ": the bootloader fell back");
    }

    private static Optional<Path> resolved(Path p) {
        try {
            return Files.exists(p) ? Optional.of(p.toRealPath()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean same(Path a, Path b) {
        Optional<Path> ra = resolved(a);
        Optional<Path> rb = resolved(b);
        if (ra.isEmpty() || rb.isEmpty()) {
            return ra.isEmpty() == rb.isEmpty();
        }
        if (ra.get().equals(rb.get())) {
            return true;
        }
        try {
            // two copies of one kernel in different store paths are the same kernel
            return Files.isRegularFile(ra.get()) && Files.isRegularFile(rb.get()) && Files.mismatch(ra.get(), rb.get()) == -1;
        } catch (IOException e) {
            return false;
        }
    }
}
