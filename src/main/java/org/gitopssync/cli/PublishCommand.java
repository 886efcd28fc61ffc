package org.gitopssync.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.gitopssync.Cancellation;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.ReleasePublisher;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.fleet.ReleaseSigner;
import org.gitopssync.fleet.ReleaseStore;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;
import org.gitopssync.source.CheckoutHead;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code publish --host H --system PATH [--commit SHA]}: an external CI releases a system it built for a fleet host. */
class PublishCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Publish the signed release record of a system built elsewhere (Hydra, buildbot-nix, GitHub"
                            + " Actions), so fleet hosts deploy it: [fleet] releases and signing_key of the"
                            + " configuration are used.")
            .addOption(ConfigOption.spec())
            .addOption(OptionSpec.builder("--host").required(true).paramLabel("HOST").type(String.class)
                    .description("The host the system is for (its nixosConfigurations name and hostname).").build())
            .addOption(OptionSpec.builder("--system").required(true).paramLabel("PATH").type(String.class)
                    .description("The system's store path; it must be in this machine's Nix store.").build())
            .addOption(OptionSpec.builder("--commit").paramLabel("SHA").type(String.class)
                    .description("The commit the system was built from (default: HEAD of the checkout at --repo).")
                    .build())
            .addOption(OptionSpec.builder("--repo").paramLabel("DIR").type(Path.class).defaultValue(".")
                    .description("The git checkout that was built, for the default --commit (default: the current"
                            + " directory).").build())
            .addOption(OptionSpec.builder("--builder").paramLabel("NAME").type(String.class)
                    .description("Who built it, as the record says (default: the configuration's hostname).").build());

    static CommandSpec spec() {
        return new PublishCommand().spec;
    }

    @Override
    public Integer call() {
        String host = spec.findOption("--host").getValue();
        String system = spec.findOption("--system").getValue();
        String commit = spec.findOption("--commit").getValue();
        Path repo = spec.findOption("--repo").getValue();
        String builder = spec.findOption("--builder").getValue();
        Settings settings = new ConfigOption(spec).load().settings();
        FleetSettings fleet = settings.fleet();
        if (fleet.releases() == null) {
            throw new ConfigException(settings.file() + ": fleet.releases: not set; publish needs the release store"
                    + " hosts read (\"file:///srv/releases\" or \"https://...\")");
        }
        if (fleet.signingKey() instanceof CredentialSource.None) {
            throw new ConfigException(settings.file() + ": fleet.signing_key: not set; publish signs the record with"
                    + " it (a `nix key generate-secret` file)");
        }
        String sha = commit != null && commit.matches("[0-9a-f]{40}") ? commit
                : CheckoutHead.resolve(repo, commit == null ? "HEAD" : commit);
        CredentialResolver credentials = CredentialResolver.fromProcess();
        ReleaseStore store = ReleaseStore.open(fleet, credentials, new DestinationGuard(HostResolver.SYSTEM));
        ReleasePublisher publisher = new ReleasePublisher(new Nix(new CommandRunner(), settings.nix().options()), store,
                () -> ReleaseSigner.of(credentials.value("fleet.signing_key", fleet.signingKey()).orElseThrow(),
                        "fleet.signing_key"));
        ReleaseRecord record = publisher.publish(host, sha, system, builder == null ? settings.hostname() : builder,
                Instant.now(), Cancellation.none());
        spec.commandLine().getOut().println("published " + store.describe(record.host(), record.commit()) + ": "
                + record.host() + " at " + sha.substring(0, 12) + " -> " + record.system() + ", signed by "
                + record.signature().substring(0, record.signature().indexOf(':')));
        return ExitCodes.OK;
    }
}
