package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.deploy.PendingReboot;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `status` tells an operator that the host waits for a reboot, is suspended (and why) and has drifted. */
class StatusHostStateTest {

    private static final String SHA = "3f2a1b2c3d4e5f60718293a4b5c6d7e8f9012345";

    @TempDir
    Path tmp;

    @Test
    void showsRebootNeededAndADriftSuspensionWithItsSystemsInTextAndJson() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo);
        String config = fixture.writeConfig().toString();
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            store.setMark(SourceMark.REBOOT_PENDING, SHA,
                    new PendingReboot("/nix/store/aaa-nixos-system-demo", 7, "/nix/store/bbb-nixos-system-demo").encode(), at);
            new Suspensions(store).suspend(new Suspension("gitops-sync (drift detected)", at,
                    "drift: the host runs /nix/store/ccc-hand-built, not /nix/store/aaa-nixos-system-demo",
                    "/nix/store/aaa-nixos-system-demo", "/nix/store/ccc-hand-built"));
        }

        Run status = DocsTomlExamplesTest.run("status", "--config", config);

        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("reboot:     needed: generation 7 (3f2a1b2c3d4e) is the boot default since ",
                "the host still runs the system booted before");
        assertThat(status.stdout()).contains("suspended:  by gitops-sync (drift detected) since ",
                ": drift: the host runs /nix/store/ccc-hand-built");
        assertThat(status.stdout()).contains(
                "drift:      expected /nix/store/aaa-nixos-system-demo, running /nix/store/ccc-hand-built",
                "nothing is deployed until `gitops-sync resume`");

        JsonNode json = new ObjectMapper().readTree(DocsTomlExamplesTest.run("status", "--json", "--config", config)
                .stdout());
        assertThat(json.path("rebootNeeded").path("generation").asInt()).isEqualTo(7);
        assertThat(json.path("rebootNeeded").path("commit").asText()).isEqualTo(SHA);
        assertThat(json.path("rebootNeeded").path("requested").asBoolean()).isFalse();
        assertThat(json.path("suspension").path("runningSystem").asText()).isEqualTo("/nix/store/ccc-hand-built");
    }

    @Test
    void aHostWithNothingPendingShowsNoRebootOrSuspensionLine() {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String config = new AgentFixture(tmp, repo).writeConfig().toString();

        Run status = DocsTomlExamplesTest.run("status", "--config", config);

        assertThat(status.stdout()).doesNotContain("reboot:", "suspended:", "drift:");
        assertThat(DocsTomlExamplesTest.run("status", "--json", "--config", config).stdout())
                .contains("\"rebootNeeded\" : null");
    }
}
