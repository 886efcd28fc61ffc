package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.fleet.ReleaseStore;
import org.gitopssync.forge.PostedStatus;
import org.gitopssync.report.Forges;
import org.gitopssync.source.GitSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code fleet status [--json]}: per host, the deployed commit, how far behind the branch, its last outcome. */
class FleetStatusCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Per fleet host: the commit the forge shows it deployed (gitops-sync/deploy/<host> = success), how"
                            + " many commits of the branch it is behind, the commit the release store released for"
                            + " it, and its last deploy outcome. Reads the local clone (no fetch), fleet.releases and"
                            + " the first [[forges]].")
            .addOption(ConfigOption.spec())
            .addOption(flag("--json").description("Print the hosts as a JSON array.").build())
            .addOption(OptionSpec.builder("--host").paramLabel("HOST").type(List.class).auxiliaryTypes(String.class)
                    .initialValue(List.of())
                    .description("A host to show (repeatable); default: ci.hosts when it lists names, else the hosts"
                            + " of a file:// release store, fleet.after and this host.").build());

    static CommandSpec spec() {
        return new FleetStatusCommand().spec;
    }

    @Override
    public Integer call() {
        boolean json = spec.findOption("--json").getValue();
        List<String> hosts = spec.findOption("--host").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        FleetSettings fleet = settings.fleet();
        if (fleet.releases() == null && settings.forges().isEmpty()) {
            throw new ConfigException(settings.file() + ": fleet status reads the release store (fleet.releases) and"
                    + " the forge's deploy statuses ([[forges]]); neither is configured");
        }
        CredentialResolver credentials = CredentialResolver.fromProcess();
        Optional<ReleaseStore> store = fleet.releases() == null ? Optional.empty()
                : Optional.of(ReleaseStore.open(fleet, credentials, new DestinationGuard(HostResolver.SYSTEM)));
        try (Forges forges = Forges.open(settings.forges(), credentials);
             GitSource source = new GitSource(settings.repository(), credentials, settings.stateDir())) {
            Optional<Function<String, List<PostedStatus>>> statuses = forges.isEmpty() ? Optional.empty()
                    : Optional.of(forges::statusesOf);
            FleetStatus.Report report = new FleetStatus(source, store, statuses)
                    .read(settings.repository().ref(), FleetStatus.hostsOf(settings, hosts, store));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, report.hosts());
            } else {
                out.print(FleetStatus.table(report));
            }
        }
        return ExitCodes.OK;
    }
}
