package org.gitopssync.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan's boot and unit comparison on fake toplevels laid out as NixOS lays them out: {@code etc} and
 * {@code etc/systemd/system} are links into other store paths, and each unit file is a link to its own.
 */
class SystemComparisonTest {

    @TempDir
    Path tmp;

    Path store;

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
    }

    /** A store file holding {@code text} (its path names the text, as a store path names its content). */
    private Path storeFile(String name, String text) throws IOException {
        Path dir = Files.createDirectories(store.resolve(Integer.toHexString(text.hashCode()) + "-" + name));
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private Path system(String name, String kernel, String... units) throws IOException {
        Path top = Files.createDirectories(tmp.resolve(name));
        Files.createSymbolicLink(top.resolve("kernel"), storeFile("bzImage", kernel));
        Files.createSymbolicLink(top.resolve("initrd"), storeFile("initrd", "initrd of " + kernel));
        Files.writeString(top.resolve("kernel-params"), "loglevel=4");
        Path etc = Files.createDirectories(store.resolve(name + "-etc/etc"));
        Path unitTree = Files.createDirectories(store.resolve(name + "-system-units"));
        Files.createDirectories(etc.resolve("systemd"));
        Files.createSymbolicLink(etc.resolve("systemd/system"), unitTree);
        Files.createSymbolicLink(top.resolve("etc"), etc);
        for (String unit : units) {
            String[] nameAndText = unit.split("=", 2);
            Path at = unitTree.resolve(nameAndText[0]);
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, storeFile(at.getFileName().toString(), nameAndText[1]));
        }
        return top;
    }

    @Test
    void aNewKernelAndChangedAddedAndRemovedUnitsAreInThePlan() throws IOException {
        Path before = system("before", "linux-6.6",
                "nginx.service=[Service]\nExecStart=nginx-1.24\n",
                "sshd.service=[Service]\nExecStart=sshd\n",
                "old-backup.timer=[Timer]\nOnCalendar=daily\n",
                "postgresql.service=[Service]\nExecStart=postgres\n",
                "postgresql.service.d/overrides.conf=[Service]\nMemoryMax=1G\n",
                "multi-user.target=[Unit]\n",
                "multi-user.target.wants/nginx.service=[Service]\nExecStart=nginx-1.24\n");
        Path after = system("after", "linux-6.12",
                "nginx.service=[Service]\nExecStart=nginx-1.26\n",
                "sshd.service=[Service]\nExecStart=sshd\n",
                "restic.timer=[Timer]\nOnCalendar=hourly\n",
                "postgresql.service=[Service]\nExecStart=postgres\n",
                "postgresql.service.d/overrides.conf=[Service]\nMemoryMax=2G\n",
                "multi-user.target=[Unit]\n",
                "multi-user.target.wants/nginx.service=[Service]\nExecStart=nginx-1.26\n");

        SystemPlan plan = SystemComparison.plan("web1", before.toString(), after.toString(),
                List.of(new PackageChange("nginx", List.of("1.24"), List.of("1.26"), null)));

        assertThat(plan.rebootBecause()).containsExactly("kernel", "initrd");
        assertThat(plan.units().changed()).as("a drop-in counts for its unit; a wanted unit's new content does not"
                + " change the target that wants it").containsExactly("nginx.service", "postgresql.service");
        assertThat(plan.units().added()).containsExactly("restic.timer");
        assertThat(plan.units().removed()).containsExactly("old-backup.timer");
        assertThat(plan.headline()).isEqualTo("web1: 1 changed, reboot needed");
        assertThat(PlanText.description(List.of(plan))).isEqualTo("web1: 1 changed, reboot needed");
        assertThat(PlanText.comment("0123456789abcdef", "3 built", List.of(plan))).contains(
                "**web1: 1 changed, reboot needed**\n\n"
                        + "Reboot needed: kernel, initrd change.\n\n"
                        + "Units: nginx.service changed, postgresql.service changed, restic.timer added,"
                        + " old-backup.timer removed.\n\n"
                        + "- nginx 1.24 → 1.26\n");
    }

    @Test
    void theSameKernelAndUnitsInOtherStorePathsAreNoRebootAndNoUnitChange() throws IOException {
        Path before = system("before", "linux-6.6", "sshd.service=[Service]\nExecStart=sshd\n",
                "multi-user.target.wants/sshd.service=[Service]\nExecStart=sshd\n");
        Path after = system("after", "linux-6.6", "sshd.service=[Service]\nExecStart=sshd\n",
                "multi-user.target.wants/sshd.service=[Service]\nExecStart=sshd\n",
                "multi-user.target.wants/restic.service=[Service]\nExecStart=restic\n");
        Files.delete(after.resolve("kernel-params"));
        Files.writeString(after.resolve("kernel-params"), "loglevel=4");

        SystemPlan plan = SystemComparison.plan("web1", before.toString(), after.toString(), List.of());

        assertThat(plan.rebootNeeded()).isFalse();
        assertThat(plan.units().changed()).as("what a target wants changed").containsExactly("multi-user.target");
        assertThat(plan.units().added()).isEmpty();
        assertThat(PlanText.comment("0123456789ab", "built", List.of(plan))).doesNotContain("Reboot")
                .contains("Units: multi-user.target changed.");
    }

    @Test
    void aSystemNotOnThisMachineIsComparedByPackagesAlone() throws IOException {
        Path after = system("after", "linux-6.12", "nginx.service=x");

        SystemPlan plan = SystemComparison.plan("web2", tmp.resolve("gone").toString(), after.toString(), List.of());

        assertThat(plan.rebootNeeded()).isFalse();
        assertThat(plan.units().isEmpty()).isTrue();
        assertThat(PlanText.comment("0123456789ab", "built", List.of(plan))).doesNotContain("Reboot", "Units:");
    }
}
