package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole cycles where the booted system (a fake toplevel with its own kernel) differs from the demo system:
 * {@code boot} instead of {@code switch}, the reboot command only inside the window, and what the next cycle says
 * after the machine booted.
 */
class RebootTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;
    Path bootedLink;
    Path rebootScript;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
        Path oldSystem = Files.createDirectories(tmp.resolve("old-system"));
        Files.writeString(oldSystem.resolve("kernel"), "linux-6.6");
        Files.writeString(oldSystem.resolve("initrd"), "initrd-6.6");
        bootedLink = tmp.resolve("booted-system");
        Files.createSymbolicLink(bootedLink, oldSystem);
        rebootScript = tmp.resolve("reboot");
        Files.writeString(rebootScript, "#!/bin/sh\necho \"$@\" >> '" + tmp.resolve("reboots.log") + "'\n");
        rebootScript.toFile().setExecutable(true);
        fixture.deployKeys("booted_system = " + AgentFixture.quote(bootedLink.toString()));
        fixture.extra("[deploy.reboot]\nallow = true\nwindow = \"23:00-02:00\"\ncommand = ["
                + AgentFixture.quote(rebootScript.toString()) + ", \"--when=+2min\"]\n");
    }

    private CycleReport cycleAt(String time) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T" + time + ":00Z"), ZoneOffset.UTC);
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, clock)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    @Test
    void kernelChangeBootsInsteadOfSwitchingAndWaitsForTheWindow() throws IOException {
        CycleReport report = cycleAt("12:00");

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(activations()).containsExactly("boot " + report.outPath());
        assertThat(repo.root().resolve("run/current-system")).as("the running system is untouched").doesNotExist();
        assertThat(report.summary()).contains("boot to generation 1", "reboot needed (kernel, initrd changed)",
                "outside the reboot window 23:00-02:00");
        assertThat(runner.ran(rebootScript.toString())).isFalse();
        assertThat(tmp.resolve("reboots.log")).doesNotExist();
    }

    @Test
    void insideTheWindowTheRebootCommandRunsAndIsRecorded() throws IOException {
        CycleReport report = cycleAt("23:30");

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(activations()).containsExactly("boot " + report.outPath());
        assertThat(report.summary()).contains("reboot needed", "reboot requested: " + rebootScript + " --when=+2min");
        assertThat(runner.commands()).contains(List.of(rebootScript.toString(), "--when=+2min"));
        assertThat(Files.readString(tmp.resolve("reboots.log"))).isEqualTo("--when=+2min\n");
    }

    @Test
    void theNextCycleReportsTheRebootIntoTheNewGeneration() throws IOException {
        CycleReport deployed = cycleAt("23:30");
        Files.delete(bootedLink);
        Files.createSymbolicLink(bootedLink, Path.of(deployed.outPath()));

        CycleReport after = cycleAt("23:40");

        assertThat(after.outcome()).as(after.summary()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(after.summary()).contains("rebooted into generation 1");
        assertThat(cycleAt("23:50").summary()).as("said once").doesNotContain("rebooted");
    }

    @Test
    void aBootloaderFallbackIsReported() throws IOException {
        cycleAt("23:30");
        Path older = Files.createDirectories(tmp.resolve("older-system"));
        Files.writeString(older.resolve("kernel"), "linux-6.1");
        Files.delete(bootedLink);
        Files.createSymbolicLink(bootedLink, older);

        CycleReport after = cycleAt("23:40");

        assertThat(after.summary()).contains("booted an older generation", "instead of generation 1");
    }

    @Test
    void withoutAKernelChangeItSwitches() throws IOException {
        fixture = new AgentFixture(tmp, repo).deployKeys("booted_system = "
                + AgentFixture.quote(tmp.resolve("none").toString()));

        CycleReport report = cycleAt("12:00");

        assertThat(activations()).containsExactly("switch " + report.outPath());
        assertThat(report.summary()).doesNotContain("reboot");
    }

    @Test
    void aFirstDeploymentThatOnlyBootsIsNotTakenForDriftByTheNextCycle() throws IOException {
        Path running = repo.root().resolve("run/current-system");
        Files.createDirectories(running.getParent());
        Files.createSymbolicLink(running, tmp.resolve("old-system"));
        assertThat(cycleAt("12:00").outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        repo.commitMotd("Another change before the reboot.");

        CycleReport next = cycleAt("12:10");

        assertThat(next.outcome()).as(next.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(next.summary()).doesNotContain("drift");
    }

    @Test
    void aSystemDeployedOutsideTheWindowIsRebootedIntoByTheFirstCycleInsideItOnce() throws IOException {
        assertThat(cycleAt("12:00").summary()).contains("outside the reboot window");
        assertThat(cycleAt("18:00").summary()).as("still outside").doesNotContain("reboot requested");
        assertThat(tmp.resolve("reboots.log")).doesNotExist();

        CycleReport inWindow = cycleAt("23:30");

        assertThat(inWindow.outcome()).as(inWindow.summary()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(inWindow.summary()).contains("generation 1 waits for a reboot; reboot requested: " + rebootScript);
        assertThat(cycleAt("23:35").summary()).as("requested once").doesNotContain("reboot requested");
        assertThat(Files.readString(tmp.resolve("reboots.log"))).isEqualTo("--when=+2min\n");
    }
}
