package org.gitopssync.faults;

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
    void noCiRunIsLeftRunning() {
        super.noCiRunIsLeftRunning();
    }

    @Override
    @Test
    void theDeadRunsGcRootsAreReleased() {
        super.theDeadRunsGcRootsAreReleased();
    }
}
