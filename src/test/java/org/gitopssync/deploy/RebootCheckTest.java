package org.gitopssync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.gitopssync.config.RebootSettings;
import org.gitopssync.config.RebootSettings.Window;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reboot decision on fake toplevels: which parts differ, the window (crossing midnight), after a boot. */
class RebootCheckTest {

    @TempDir
    Path tmp;

    private Path system(String name, String kernel, String initrd, String params) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path store = Files.createDirectories(tmp.resolve("store-" + kernel));
        Files.writeString(store.resolve("bzImage"), kernel);
        Files.createSymbolicLink(dir.resolve("kernel"), store.resolve("bzImage"));
        Files.writeString(dir.resolve("initrd"), initrd);
        Files.writeString(dir.resolve("kernel-params"), params);
        return dir;
    }

    private RebootCheck check(Path booted, boolean allow, String window, String at) {
        String[] w = window.split("-");
        Window win = window.isEmpty() ? Window.ANY
                : new Window(LocalTime.parse(w[0]), LocalTime.parse(w[1]), window);
        return new RebootCheck(new RebootSettings(allow, win, List.of("true"), booted), new RecordingCommandRunner(),
                Clock.fixed(Instant.parse("2026-12-01T" + at + ":00Z"), ZoneOffset.UTC));
    }

    @Test
    void kernelInitrdAndParamsAreComparedByTargetOrContent() throws IOException {
        Path booted = system("booted", "linux-6.6", "initrd-a", "quiet");
        Path sameKernelCopied = system("same", "linux-6.6", "initrd-a", "quiet");
        Path newKernel = system("new", "linux-6.12", "initrd-b", "quiet loglevel=3");

        assertThat(RebootCheck.changes(booted, sameKernelCopied)).isEmpty();
        assertThat(RebootCheck.changes(booted, newKernel)).containsExactly("kernel", "initrd", "kernel-params");
    }

    @Test
    void rebootTriggersCountOnlyWhereBothSystemsCarryThem() throws IOException {
        Path booted = system("booted", "linux", "i", "p");
        Path next = system("next", "linux", "i", "p");
        Files.writeString(next.resolve("reboot-triggers"), "dbus-broker");
        assertThat(RebootCheck.changes(booted, next)).isEmpty();
        Files.writeString(booted.resolve("reboot-triggers"), "dbus");
        assertThat(RebootCheck.changes(booted, next)).containsExactly("reboot-triggers");
    }

    @Test
    void rebootsOnlyWhenAllowedAndInsideAWindowThatMayCrossMidnight() throws IOException {
        Path booted = system("booted", "linux-6.6", "i", "p");
        Path next = system("next", "linux-6.12", "i", "p");

        assertThat(check(booted, false, "01:00-05:00", "02:00").plan(next).rebootNow()).isFalse();
        assertThat(check(booted, true, "01:00-05:00", "02:00").plan(next).rebootNow()).isTrue();
        assertThat(check(booted, true, "01:00-05:00", "05:00").plan(next).rebootNow()).isFalse();
        assertThat(check(booted, true, "23:00-02:00", "23:30").plan(next).rebootNow()).isTrue();
        assertThat(check(booted, true, "23:00-02:00", "01:59").plan(next).rebootNow()).isTrue();
        assertThat(check(booted, true, "23:00-02:00", "12:00").plan(next).why()).contains("outside the reboot window 23:00-02:00");
        assertThat(check(booted, true, "", "12:00").plan(next).rebootNow()).isTrue();
        assertThat(check(booted, true, "", "12:00").plan(booted).needed()).isFalse();
        assertThat(check(tmp.resolve("no-booted-system"), true, "", "12:00").plan(next).needed())
                .as("nothing known of the booted system").isFalse();
    }

    @Test
    void afterBootTellsTheNewGenerationFromAFallback() throws IOException {
        Path old = system("old", "linux-6.6", "i", "p");
        Path next = system("next", "linux-6.12", "i", "p");
        Path link = tmp.resolve("booted-system");
        Files.createSymbolicLink(link, old);
        RebootCheck check = check(link, true, "", "12:00");
        PendingReboot pending = new PendingReboot(next.toString(), 7, old.toRealPath().toString());

        assertThat(check.afterBoot(pending)).as("not rebooted yet").isEmpty();

        Files.delete(link);
        Files.createSymbolicLink(link, next);
        assertThat(check.afterBoot(pending)).contains("rebooted into generation 7");

        Files.delete(link);
        Files.createSymbolicLink(link, system("older", "linux-6.1", "i", "p"));
        assertThat(check.afterBoot(pending)).get().asString().startsWith("booted an older generation");
    }
}
