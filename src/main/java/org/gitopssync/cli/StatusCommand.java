package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.gitopssync.config.Settings;
import org.gitopssync.reconcile.HostStatus;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code status}: what this host runs, and what the last cycles did. */
class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final CommandSpec spec = CommandModel.command(this,
                    "Show the deployed commit and generation, the last cycle's outcome and recent history.")
            .addOption(ConfigOption.spec())
            .addOption(flag("--json").description("Print the status as JSON.").build())
            .addOption(flag("-w", "--watch").description("Follow the running cycle (or the next one) stage by stage"
                            + " until it ends, through the daemon's event stream when a daemon listens, else the state"
                            + " store.",
                    "Exits 0 when it converged or found nothing to do, 1 when it failed.").build())
            .addOption(OptionSpec.builder("-n", "--history").paramLabel("<history>").type(int.class).defaultValue("10")
                    .description("How many recent cycles to show (default ${DEFAULT-VALUE}).").build());

    static CommandSpec spec() {
        return new StatusCommand().spec;
    }

    @Override
    public Integer call() {
        boolean json = spec.findOption("--json").getValue();
        boolean watch = spec.findOption("--watch").getValue();
        int history = spec.findOption("--history").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        if (watch) {
            return new CycleWatch(settings, spec.commandLine().getOut()).run();
        }
        HostStatus status;
        try (StateStore store = StateStore.open(settings.stateDir())) {
            status = HostStatus.read(settings, store, history);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, status);
            return ExitCodes.OK;
        }
        out.println("host:       " + status.host() + " following " + status.branch() + " of " + status.repository());
        if (status.deployed() == null) {
            out.println("deployed:   nothing yet");
        } else {
            var d = status.deployed();
            out.println("deployed:   " + d.commit() + " (" + d.operation() + " via " + d.method()
                    + (d.generation() == null ? "" : ", generation " + d.generation()) + ", "
                    + TIME.format(d.finishedAt()) + ")");
            out.println("system:     " + d.outPath());
        }
        out.println("running:    " + (status.runningSystem() == null ? "unknown" : status.runningSystem())
                + (status.deployed() != null && !status.runningMatchesDeployed() ? "  (differs from the deployed system)" : ""));
        for (Quarantine q : status.quarantined()) {
            out.println("quarantined: " + q.commit() + ": rolled back in cycle #" + q.cycleId() + " because " + q.probe()
                    + " failed" + (q.output() == null || q.output().isEmpty() ? "" : " (" + firstLine(q.output()) + ")")
                    + "; not tried again until the branch moves or `gitops-sync retry`");
        }
        if (status.suspension() != null) {
            Suspension s = status.suspension();
            out.println("suspended:  by " + s.suspendedBy() + " since " + TIME.format(s.since())
                    + (s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason()));
            if (s.byDrift()) {
                out.println("drift:      expected " + s.expectedSystem() + ", running " + s.runningSystem());
            }
            out.println("            nothing is deployed until `gitops-sync resume`");
        }
        if (status.rebootNeeded() != null) {
            HostStatus.RebootNeeded r = status.rebootNeeded();
            out.println("reboot:     needed: " + (r.generation() == null ? r.system() : "generation " + r.generation())
                    + " (" + abbrev(r.commit()) + ") is the boot default since " + TIME.format(r.since())
                    + (r.requested() ? "; the reboot was requested, waiting for the boot"
                            : "; the host still runs the system booted before"));
        }
        if (status.trustedBase() != null) {
            out.println("reset to:   " + status.trustedBase().commit() + " (accepted " + TIME.format(status.trustedBase().updatedAt()) + ")");
        }
        if (status.lastCycle() == null) {
            out.println("last cycle: none yet");
        } else {
            CycleRecord c = status.lastCycle();
            out.println("last cycle: #" + c.id() + " " + c.outcome().word() + " (" + c.trigger() + ", "
                    + TIME.format(c.startedAt()) + ")" + (c.error() == null ? "" : ": " + c.error()));
        }
        if (!status.recentCycles().isEmpty()) {
            out.println();
            out.println("recent cycles:");
            for (CycleRecord c : status.recentCycles()) {
                out.printf("  #%-5d %s  %-8s %-11s %-12s %s%n", c.id(), TIME.format(c.startedAt()), c.trigger(),
                        c.outcome().word(), c.commit() == null ? "-" : c.commit().substring(0, Math.min(12, c.commit().length())),
                        c.error() == null ? "" : firstLine(c.error()));
            }
        }
        return ExitCodes.OK;
    }

    private static String abbrev(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
