package org.gitopssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The recovery command in a force-push refusal can be pasted as it is. */
class TargetRefusedHintTest {

    private static final String TARGET = "a".repeat(40);
    private static final String BASE = "b".repeat(40);

    @Test
    void defaultConfigurationNeedsNoConfigOption() {
        assertThat(new TargetRefusedException("main", TARGET, BASE, "the last deployed commit").getMessage())
                .contains("`gitops-sync reset --to " + TARGET + "`");
    }

    @Test
    void otherConfigurationIsNamedInTheHint() {
        assertThat(new TargetRefusedException("main", TARGET, BASE, "the last deployed commit",
                " --config /srv/gitops/test.toml").getMessage())
                .contains("`gitops-sync reset --config /srv/gitops/test.toml --to " + TARGET + "`");
    }
}
