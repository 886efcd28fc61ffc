package org.gitopssync.faults;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** {@code kill -9} while the system's packages build (their builder waits at a gate), then a rerun. */
class BuildKillIT extends StageKillScenario {

    @Override
    String stage() {
        return "build";
    }

    @Override
    void makeSlow() {
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"" + gate.shell("build") + "; printf '%s' \\\"$text\\\" > $out\" ];");
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("evaluated");
        gate.awaitReached("build");
    }

    @Override
    void lift() {
        gate.open("build");
    }

    @Override
    @Test
    @Disabled("needs CI runs of killed cycles closed as abandoned, from the crash-convergence work")
    void noCiRunIsLeftRunning() {
        super.noCiRunIsLeftRunning();
    }

    @Override
    @Test
    @Disabled("needs GC roots of killed CI runs released at the next start, from the crash-convergence work")
    void theDeadRunsGcRootsAreReleased() {
        super.theDeadRunsGcRootsAreReleased();
    }
}
