package org.gitopssync.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.config.Settings;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.install.CommitFiles;
import org.gitopssync.secrets.install.SecretsCheck;
import org.gitopssync.secrets.install.SecretsKeys;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.state.CycleLock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code secrets check}: does every secret of the branch head's manifest open with this host's keys? */
class SecretsCheckCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Check that every secret of the branch head's manifest opens with this host's keys.",
                    "Fetches the branch and opens every secret and template in memory: one line per item, nothing",
                    "written. Exit 1 if any does not open.")
            .addOption(ConfigOption.spec())
            .addOption(OptionSpec.builder("--rev").paramLabel("COMMIT").type(String.class)
                    .description("Check a commit already in the local clone instead of fetching the branch head.")
                    .build());

    static CommandSpec spec() {
        return new SecretsCheckCommand().spec;
    }

    @Override
    public Integer call() {
        String rev = spec.findOption("--rev").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        PrintWriter out = spec.commandLine().getOut();
        try (Agent agent = Agent.open(settings, System.getenv())) {
            GitSource source = agent.source();
            FetchedCommit commit;
            if (rev == null) {
                // the clone is shared with the cycles: fetch under their lock, as reset does
                try (CycleLock ignored = CycleLock.acquire(settings.stateDir(), "secrets check")) {
                    commit = source.fetch();
                }
            } else {
                commit = source.resolve(rev);
            }
            SecretsCheck check = agent.secrets().check(CommitFiles.of(commit.sha(), p -> source.readFile(commit.sha(), p)));
            if (!check.found()) {
                out.println("no secrets manifest (" + settings.secrets().manifest() + ") at " + commit.shortSha()
                        + "; nothing to check");
                return ExitCodes.OK;
            }
            out.println("checking " + check.manifest() + " at " + commit.shortSha() + " \"" + commit.subject() + "\"");
            try {
                for (String identity : SecretsKeys.from(settings.secrets(), System.getenv(), agent.vault()).describe()) {
                    out.println("  identity: " + identity);
                }
            } catch (SecretsException e) {
                out.println("  identities: " + e.getMessage());
            }
            int width = check.items().stream().mapToInt(i -> i.label().length()).max().orElse(0);
            for (SecretsCheck.Item item : check.items()) {
                String label = String.format("%-" + width + "s", item.label());
                out.println(item.ok() ? "ok      " + label + "  " + item.source() : "FAILED  " + item.error().orElseThrow());
            }
            out.println(check.ok() ? "all " + check.items().size() + " open; after a deploy: "
                    + (check.wouldChange().isEmpty() ? "no units to restart" : check.wouldChange().describe())
                    : check.failures().size() + " of " + check.items().size() + " do not open");
            return check.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
