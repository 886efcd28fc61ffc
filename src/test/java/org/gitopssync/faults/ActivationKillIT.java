package org.gitopssync.faults;

import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} during activation: the new secrets generation is already live and its unit restart owed when
 * the demo's switch-to-configuration stops at a gate. Then a rerun, which must perform the owed restart.
 */
class ActivationKillIT extends StageKillScenario {

    @Override
    String stage() {
        return "deploy";
    }

    @Override
    void makeSlow() {
        repo.edit("flake.nix", "        mkdir -p \"$root/run\" \"$root/etc\"\n",
                "        mkdir -p \"$root/run\" \"$root/etc\"\n        " + gate.shell("activate") + "\n");
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("deploy:");
        gate.awaitReached("activate");
    }

    @Override
    void lift() {
        gate.open("activate");
    }

    @Override
    @Test
    void theOwedUnitRestartsWerePerformed() {
        super.theOwedUnitRestartsWerePerformed();
    }

    @Override
    @Test
    void theDeadRunsGcRootsAreReleased() {
        super.theDeadRunsGcRootsAreReleased();
    }
}
