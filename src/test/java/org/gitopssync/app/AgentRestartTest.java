package org.gitopssync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.Stage;
import org.gitopssync.state.CycleOutcome;
import org.junit.jupiter.api.Test;

/** When a daemon restarts into the agent package the deployed system carries, and when it must not. */
class AgentRestartTest {

    static final String OLD = "/nix/store/0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gitops-sync-1.3.0";
    static final String NEW = "/nix/store/1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-gitops-sync-1.4.0";
    static final String SYSTEM = "/nix/store/2ccccccccccccccccccccccccccccccc-nixos-system-web1-25.05";
    static final List<String> AROUND = List.of(
            "/nix/store/3ddddddddddddddddddddddddddddddd-unit-gitops-sync.service",
            "/nix/store/4eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-gitops-sync.toml",
            "/nix/store/5fffffffffffffffffffffffffffffff-unit-script-gitops-sync-restart-start",
            "/nix/store/6ggggggggggggggggggggggggggggggg-openjdk-headless-17.0.12+7",
            SYSTEM);

    final List<String> queried = new ArrayList<>();

    private AgentRestart restart(Optional<String> running, String active, String agentInClosure) {
        return new AgentRestart(running, () -> Optional.ofNullable(active), system -> {
            queried.add(system);
            List<String> closure = new ArrayList<>(AROUND);
            if (agentInClosure != null) {
                closure.add(0, agentInClosure);
            }
            return closure;
        });
    }

    private static CycleReport report(CycleOutcome outcome) {
        return new CycleReport(7, outcome, Stage.DEPLOY, "abc", SYSTEM, 3, "deployed as generation 3", Path.of("log"));
    }

    @Test
    void aDeployedAndActiveSystemCarryingAnotherBuildOfTheAgentRestartsIt() {
        assertThat(restart(Optional.of(OLD), SYSTEM, NEW).after(report(CycleOutcome.DEPLOYED))).contains(NEW);
        assertThat(queried).containsExactly(SYSTEM);
    }

    @Test
    void theSameBuildAnUnrelatedPathOrNoAgentAtAllIsNoRestart() {
        assertThat(restart(Optional.of(OLD), SYSTEM, OLD).after(report(CycleOutcome.DEPLOYED))).isEmpty();
        assertThat(restart(Optional.of(OLD), SYSTEM, null).after(report(CycleOutcome.DEPLOYED)))
                .as("the unit, its config and the restart helper are not the agent; a removed agent keeps running")
                .isEmpty();
        assertThat(AgentRestart.newPackage(OLD, List.of(NEW, OLD))).as("the running build is still there").isEmpty();
    }

    @Test
    void anAgentNotRunFromTheStoreNeverRestartsAndNothingIsQueried() {
        assertThat(restart(Optional.empty(), SYSTEM, NEW).after(report(CycleOutcome.DEPLOYED))).isEmpty();
        assertThat(queried).isEmpty();
    }

    @Test
    void onlyADeployedSystemThatNowRunsCounts() {
        assertThat(restart(Optional.of(OLD), "/nix/store/9zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-nixos-system-web1-old", NEW)
                .after(report(CycleOutcome.DEPLOYED))).as("made the boot default: the unit starts the old build until"
                        + " the reboot").isEmpty();
        for (CycleOutcome outcome : List.of(CycleOutcome.FAILED, CycleOutcome.UNCHANGED, CycleOutcome.REFUSED)) {
            assertThat(restart(Optional.of(OLD), SYSTEM, NEW).after(report(outcome))).as(outcome.name()).isEmpty();
        }
        assertThat(queried).isEmpty();
    }

    @Test
    void theRunningPackageIsTheStorePathTheCodeLiesIn() {
        Path store = Path.of("/nix/store");
        assertThat(AgentRestart.storePathOf(Path.of(OLD, "share/gitops-sync/lib/main/gitops-sync-1.3.0.jar"), store))
                .contains(OLD);
        assertThat(AgentRestart.storePathOf(Path.of("/home/dev/gitops-sync/target/classes"), store)).isEmpty();
        assertThat(AgentRestart.storePathOf(store, store)).isEmpty();
        assertThat(AgentRestart.storePathOf(Path.of("/nix/store-other/x-gitops-sync-1.0"), store)).isEmpty();
        assertThat(AgentRestart.packageName(NEW)).isEqualTo("gitops-sync");
        assertThat(AgentRestart.packageName(AROUND.get(2))).isEqualTo("unit-script-gitops-sync-restart-start");
    }
}
