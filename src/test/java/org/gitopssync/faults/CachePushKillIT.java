package org.gitopssync.faults;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} during a niks3 push: the niks3 double stops at a gate while its token file sits in the push's
 * private scratch directory. Then a rerun, which must leave no scratch and no token behind.
 */
class CachePushKillIT extends StageKillScenario {

    @Override
    String stage() {
        return "cache";
    }

    @Override
    void makeSlow() {
        gate.arm("cache");
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("build:");
        gate.awaitReached("cache");
    }

    @Override
    void lift() {
        gate.open("cache");
    }

    @Override
    @Test
    void noPrivateScratchOrTokenFileIsLeft() throws IOException {
        super.noPrivateScratchOrTokenFileIsLeft();
    }

    @Override
    @Test
    void theDeadRunsGcRootsAreReleased() {
        super.theDeadRunsGcRootsAreReleased();
    }
}
