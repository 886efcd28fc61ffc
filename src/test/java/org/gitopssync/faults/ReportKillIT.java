package org.gitopssync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} while reporting: the cycle is deployed and recorded, the forge hangs on every status, and
 * the process waits to deliver them. Then a rerun, which finds nothing to deploy and must deliver them.
 */
class ReportKillIT extends StageKillScenario {

    @Override
    String stage() {
        return "report";
    }

    @Override
    void makeSlow() {
        forge.hang();
    }

    @Override
    void awaitStage(GroupProcess agent) throws Exception {
        agent.awaitLog("cycle 2: deployed");
        if (!Processes.await(() -> db.column("SELECT outcome FROM cycles WHERE id = 2").contains("deployed")
                && forge.held() > 0)) {
            throw new AssertionError("the agent never waited on the forge after deploying; stderr:\n" + agent.stderr());
        }
    }

    @Override
    void lift() {
        forge.dropHeldAndAnswer();
    }

    @Override
    @Test
    void theKilledCycleIsRecordedAsAbandonedInItsStage() {
        // the cycle itself was over: killed while delivering, it stays what it was
        assertThat(db.column("SELECT outcome FROM cycles WHERE id = 2")).containsExactly("deployed");
        assertThat(rerun.stdout()).startsWith("unchanged:");
    }

    @Override
    @Test
    void everyStatusOfTheHeadIsDelivered() throws InterruptedException {
        super.everyStatusOfTheHeadIsDelivered();
    }
}
