package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many ready derivations one Nix process is given: the process cost shared, chains not held back. */
class BatchSizeTest {

    @Test
    void readyLeavesAreSpreadOverTheFreeProcessesUpToTheLimit() {
        assertThat(RunCoordinator.batchSize(3, 2, 2, false, 0, 9)).isEqualTo(2);
        assertThat(RunCoordinator.batchSize(1, 2, 2, false, 0, 9)).isEqualTo(1);
        assertThat(RunCoordinator.batchSize(44, 2, 2, false, 0, 60)).isEqualTo(RunCoordinator.MAX_BATCH);
        assertThat(RunCoordinator.batchSize(7, 1, 2, false, 0, 20)).as("more may become ready").isEqualTo(7);
    }

    @Test
    void theLastDerivationsAreSharedWithTheProcessesStillBusy() {
        // nothing else will become ready: the busy process takes the other half when it finishes
        assertThat(RunCoordinator.batchSize(7, 1, 2, true, 0, 9)).isEqualTo(4);
    }

    @Test
    void aDerivationOthersWaitOnIsNotHeldBehindAFullBatch() {
        // 4 levels wait on it: 5 batches of 8 in a row would outlast the 60 derivations left on 2 processes
        assertThat(RunCoordinator.batchSize(44, 2, 2, false, 4, 60)).isEqualTo(6);
        // near the end, with little else to do, it goes alone so that the next level starts at once
        assertThat(RunCoordinator.batchSize(7, 1, 2, false, 3, 12)).isEqualTo(1);
        // a short chain in a lot of work does not cost extra processes
        assertThat(RunCoordinator.batchSize(300, 2, 2, false, 1, 300)).isEqualTo(RunCoordinator.MAX_BATCH);
    }
}
