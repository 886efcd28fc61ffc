package org.gitopssync.cli;

import java.util.concurrent.Callable;
import org.gitopssync.app.Agent;
import org.gitopssync.source.FetchedCommit;
import picocli.CommandLine;

/** {@code reset --to <commit>}: accept a rewritten branch after a deliberate force-push. */
@CommandLine.Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Accept a commit that the target policy refused (force-push or rewind).",
            "Later targets must descend from it; the next cycle deploys the branch head."})
class ResetCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Option(names = "--to", required = true, paramLabel = "COMMIT",
            description = "The commit to accept (full or abbreviated id, as named in the refusal).")
    String to;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (Agent agent = Agent.open(config.load().settings(), System.getenv())) {
            FetchedCommit c = agent.reconciler().reset(to);
            spec.commandLine().getOut().println("accepted " + c.sha() + " \"" + c.subject() + "\" by " + c.author()
                    + "; the next cycle deploys " + agent.settings().repository().branch() + "'s head");
            return ExitCodes.OK;
        }
    }
}
