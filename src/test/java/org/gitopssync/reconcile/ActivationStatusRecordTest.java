package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.gitopssync.deploy.ActivationStatus;
import org.gitopssync.state.DeploymentRecord;
import org.junit.jupiter.api.Test;

/** Every way an activation can end is one the deployments table can store, under the same word. */
class ActivationStatusRecordTest {

    @Test
    void everyActivationStatusIsRecordedUnderItsOwnWord() {
        for (ActivationStatus status : ActivationStatus.values()) {
            assertThat(DeploymentRecord.Status.fromWord(status.word()).word()).isEqualTo(status.word());
        }
    }
}
