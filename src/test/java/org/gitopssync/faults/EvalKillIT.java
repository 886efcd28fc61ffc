package org.gitopssync.faults;

import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} while the flake is evaluated: the toplevel reads a file built during evaluation (import from
 * derivation) whose builder waits at a gate, so {@code nix eval} itself is what is slow. Then a rerun.
 */
class EvalKillIT extends StageKillScenario {

    @Override
    String stage() {
        return "build";
    }

    @Override
    void makeSlow() {
        repo.edit("flake.nix", "      toplevel = derivation {\n",
                "      toplevel = derivation {\n        evalGate = builtins.readFile (derivation { name = \"eval-gate\";"
                        + " inherit system; builder = \"/bin/sh\"; args = [ \"-c\" \"" + gate.shell("eval")
                        + "; echo evaluated > $out\" ]; });\n");
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("evaluating");
        gate.awaitReached("eval");
    }

    @Override
    void lift() {
        gate.open("eval");
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
