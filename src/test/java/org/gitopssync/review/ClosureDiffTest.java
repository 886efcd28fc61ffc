package org.gitopssync.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureDiffTest {

    @Test
    void parsesVersionChangesAdditionsRemovalsAndSizeOnlyLines() {
        List<PackageChange> changes = ClosureDiff.parse("""
                demo-greeter: 2.1 → 2.2
                demo-banner: ∅ → 1.0, +0.1 KiB
                demo-motd: 1.0 → ∅, -0.1 KiB
                \u001b[1mglibc\u001b[0m: 2.39-52 → 2.40-36, +120.3 KiB
                linux-firmware: +2048.0 KiB
                python3: 3.11.9, 3.12.4 → 3.12.5
                """);

        assertThat(changes).extracting(PackageChange::describe).containsExactly(
                "demo-greeter 2.1 → 2.2",
                "demo-banner added (1.0)",
                "demo-motd removed (1.0)",
                "glibc 2.39-52 → 2.40-36",
                "linux-firmware rebuilt (+2048.0 KiB)",
                "python3 3.11.9, 3.12.4 → 3.12.5");
        assertThat(new SystemPlan("web1", "/a", "/b", changes).headline()).isEqualTo("web1: 4 changed, 1 added, 1 removed");
        assertThat(new SystemPlan("web1", "/a", "/a", List.of()).headline()).isEqualTo("web1: no change");
        assertThat(PlanText.description(List.of(new SystemPlan("a", "/a", "/a", List.of()),
                new SystemPlan("b", null, "/b", List.of())))).isEqualTo("b: new host");
    }
}
