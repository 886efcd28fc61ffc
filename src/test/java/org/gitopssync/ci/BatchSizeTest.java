package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many ready derivations one Nix process is given: the process cost shared, chains not held back. */
class BatchSizeTest {

    @Test
    void readyLeavesAreSpreadOverTheFreeProcessesUpToTheLimit() {
        assertThat(RunCoordinator.batchSize(3, 2, 0, 0, 2)).isEqualTo(2);
        assertThat(RunCoordinator.batchSize(1, 2, 0, 0, 2)).isEqualTo(1);
        assertThat(RunCoordinator.batchSize(44, 2, 0, 0, 2)).isEqualTo(RunCoordinator.MAX_BATCH);
    }

    @Test
    void aDerivationOthersWaitOnIsNotHeldBehindAFullBatch() {
        // 4 levels wait on it: 5 batches of 8 in a row would outlast the 60 derivations left on 2 processes
        assertThat(RunCoordinator.batchSize(44, 2, 4, 60, 2)).isEqualTo(6);
        // near the end, with little else to do, it goes alone so that the next level starts at once
        assertThat(RunCoordinator.batchSize(7, 1, 3, 12, 2)).isEqualTo(1);
        // a short chain in a lot of work does not cost extra processes
        assertThat(RunCoordinator.batchSize(300, 2, 1, 300, 2)).isEqualTo(RunCoordinator.MAX_BATCH);
    }
}
