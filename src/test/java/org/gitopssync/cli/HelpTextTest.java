package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.junit.jupiter.api.Test;

/** The help texts say what the commands do, as README.md documents them. */
class HelpTextTest {

    @Test
    void topLevelHelpShowsWholeSummaries() {
        Run r = DocsTomlExamplesTest.run("--help");
        String commands = r.stdout().substring(r.stdout().indexOf("Commands:"), r.stdout().indexOf("Exit codes"));
        // one summary per command, its continuation lines joined
        String[] summaries = commands.replaceAll("\\n {13}", " ").strip().split("\n");

        assertThat(summaries).hasSizeGreaterThan(8);
        for (String summary : Arrays.copyOfRange(summaries, 1, summaries.length)) {
            assertThat(summary.strip()).as("a whole sentence, not cut").endsWith(".");
        }
        assertThat(r.stdout()).contains("webhooks, until SIGTERM.", "print its recipients.");
    }

    @Test
    void secretsHelpShowsWholeSummaries() {
        String help = DocsTomlExamplesTest.run("secrets", "--help").stdout();

        assertThat(help).contains("Print the decrypted content of a sops or age file, exactly as", "this host's keys.\n");
    }

    @Test
    void secretsDecryptHelpListsEveryKeySourceAndBothExtractForms() {
        String help = DocsTomlExamplesTest.run("secrets", "decrypt", "--help").stdout();

        assertThat(help).contains("SOPS_AGE_SSH_PRIVATE_KEY_FILE", "db/password", "'[\"db\"][\"password\"]'");
    }

    @Test
    void syncHelpDoesNotPretendOnceIsNeeded() {
        String help = DocsTomlExamplesTest.run("sync", "--help").stdout();

        assertThat(help).contains("`sync` and `sync --once` are the same");
    }
}
