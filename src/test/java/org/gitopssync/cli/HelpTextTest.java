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

    /*
     * The models are built in code (CommandModel): these pin the exact text of commands with every kind of argument
     * (an option with a default, a flag with two paragraphs, a required positional, repeatable and hidden options, a
     * required option), so a slip in a model shows here.
     */

    @Test
    void statusHelpIsPinned() {
        Run r = DocsTomlExamplesTest.run("status", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("""
                Usage: gitops-sync status [-hVw] [--json] [-c=FILE] [-n=<history>]
                Show the deployed commit and generation, the last cycle's outcome and recent
                history.
                  -c, --config=FILE         Configuration file (default: $GITOPS_CONFIG, else
                                              /etc/gitops-sync/gitops.toml).
                  -h, --help                Show this help message and exit.
                      --json                Print the status as JSON.
                  -n, --history=<history>   How many recent cycles to show (default 10).
                  -V, --version             Print version information and exit.
                  -w, --watch               Follow the running cycle (or the next one) stage by
                                              stage until it ends, through the daemon's event
                                              stream when a daemon listens, else the state
                                              store.
                                            Exits 0 when it converged or found nothing to do, 1
                                              when it failed.
                """);
    }

    @Test
    void secretsDecryptHelpIsPinned() {
        Run r = DocsTomlExamplesTest.run("secrets", "decrypt", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("""
                Usage: gitops-sync secrets decrypt [-hV] [--ignore-mac] [-c=FILE]
                                                   [--extract=PATH] [--input-type=TYPE]
                                                   [--age-key-file=FILE]... [--ssh-key=FILE]...
                                                   FILE
                Print the decrypted content of a sops or age file, exactly as `sops -d` does.
                Formats: yaml, json, dotenv, ini, binary, and plain age files. Keys: the
                configuration's [secrets] keys and [vault] when a
                configuration is given or found, plus --age-key-file/--ssh-key, SOPS_AGE_KEY,
                SOPS_AGE_KEY_FILE and
                SOPS_AGE_SSH_PRIVATE_KEY_FILE.
                      FILE                  The sops or age file.
                      --age-key-file=FILE   An age identity file (repeatable).
                  -c, --config=FILE         Configuration whose keys to use (default:
                                              $GITOPS_CONFIG, else /etc/gitops-sync/gitops.toml
                                              if it exists, else none).
                      --extract=PATH        Print one value: a key as in the manifest, e.g.
                                              db/password (or a plain top-level key),
                                            or the sops form '["db"]["password"]' (as sops
                                              --extract).
                  -h, --help                Show this help message and exit.
                      --ignore-mac          Skip the MAC check (deliberate recovery only).
                      --input-type=TYPE     yaml, json, dotenv, ini or binary (default: from
                                              the file name, as sops does).
                      --ssh-key=FILE        An OpenSSH ed25519 private key (repeatable).
                  -V, --version             Print version information and exit.
                """);
    }

    @Test
    void aMissingRequiredOptionIsAUsageErrorWithTheCommandsHelp() {
        Run r = DocsTomlExamplesTest.run("reset");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("""
                Missing required option: '--to=COMMIT'
                Usage: gitops-sync reset [-hV] [-c=FILE] --to=COMMIT
                Accept a commit that the target policy refused (force-push or rewind).
                Later targets must descend from it; the next cycle deploys the branch head.
                  -c, --config=FILE   Configuration file (default: $GITOPS_CONFIG, else
                                        /etc/gitops-sync/gitops.toml).
                  -h, --help          Show this help message and exit.
                      --to=COMMIT     The commit to accept (full or abbreviated id, as named in
                                        the refusal).
                  -V, --version       Print version information and exit.
                """);
    }

    @Test
    void aMissingFileIsAUsageError() {
        Run r = DocsTomlExamplesTest.run("secrets", "decrypt");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).startsWith("Missing required parameter: 'FILE'\nUsage: gitops-sync secrets decrypt ");
    }
}
