package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {

    private static final List<String> DEPLOY = List.of("GITOPS_DEPLOY_PROFILE", "GITOPS_DEPLOY_ROLLBACK_ON_FAILURE",
            "GITOPS_DEPLOY_METHOD", "GITOPS_DEPLOY_OPERATION");

    @Test
    void aShortenedNameSuggestsTheKeyItStarts() {
        assertThat(Spelling.closest("GITOPS_DEPLOY_ROLLBACK", DEPLOY)).isEqualTo("GITOPS_DEPLOY_ROLLBACK_ON_FAILURE");
    }

    @Test
    void aTypoStillSuggestsTheClosestKey() {
        assertThat(Spelling.closest("GITOPS_DEPLOY_PROFLIE", DEPLOY)).isEqualTo("GITOPS_DEPLOY_PROFILE");
    }
}
