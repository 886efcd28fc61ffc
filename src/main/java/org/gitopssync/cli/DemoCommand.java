package org.gitopssync.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.demo.DemoEnvironment;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code demo}: the whole loop on a scratch repository, without touching this machine. */
class DemoCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Create a scratch flake repository and configuration under ./.demo and run one cycle.",
                    "Running it again is a no-op until the repository changes.")
            .addOption(OptionSpec.builder("--dir").paramLabel("DIR").type(Path.class).defaultValue(".demo")
                    .description("Where the demo lives (default ${DEFAULT-VALUE}).").build());

    static CommandSpec spec() {
        return new DemoCommand().spec;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = spec.findOption("--dir").getValue();
        PrintWriter out = spec.commandLine().getOut();
        DemoEnvironment demo = new DemoEnvironment(dir);
        if (demo.exists()) {
            out.println("demo: reusing " + demo.dir());
        } else {
            String sha = demo.create();
            out.println("demo: created a flake repository at " + demo.repository() + " (commit " + sha.substring(0, 12) + ")");
            out.println("demo: wrote " + demo.config());
        }
        var settings = new SettingsLoader(System.getenv()).load(demo.config()).settings();
        CycleReport report;
        try (Agent agent = Agent.open(settings, System.getenv())) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.DEMO), new Cancellation());
        }
        out.println("demo: cycle " + report.cycleId() + " " + report.outcome().word() + ": " + report.summary());
        Path motd = demo.machine().resolve("etc/motd");
        if (Files.exists(motd)) {
            out.println("demo: the demo host's motd now reads: " + Files.readString(motd).trim());
        }
        Path secrets = demo.secretsRoot().resolve("current");
        if (Files.isDirectory(secrets)) {
            out.println("demo: secrets installed under " + secrets + " (-> " + Files.readSymbolicLink(secrets)
                    + "), e.g. " + secrets.resolve("demo/api-token") + " and " + secrets.resolve("rendered/demo.env"));
        }
        String cli = "bin/gitops-sync";
        out.println();
        out.println("Make a change and watch it deploy:");
        out.println("  sed -i 's/Welcome to the gitops-sync demo host./Hello from my first commit./' " + demo.repository() + "/flake.nix");
        out.println("  git -C " + demo.repository() + " commit -qam 'new motd'");
        out.println("  " + cli + " sync --once --config " + demo.config());
        out.println("  cat " + motd);
        out.println("Check the secrets:  " + cli + " secrets check --config " + demo.config());
        out.println("See what happened:  " + cli + " status --config " + demo.config());
        out.println("Keep following it: " + cli + " daemon --config " + demo.config());
        return report.failed() ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
