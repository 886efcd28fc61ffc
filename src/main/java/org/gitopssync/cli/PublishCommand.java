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
import picocli.CommandLine;

/** {@code publish --host H --system PATH [--commit SHA]}: an external CI releases a system it built for a fleet host. */
@CommandLine.Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish the signed release record of a system built elsewhere (Hydra, buildbot-nix, GitHub"
                + " Actions), so fleet hosts deploy it: [fleet] releases and signing_key of the configuration are used."})
class PublishCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Option(names = "--host", required = true, paramLabel = "HOST",
            description = "The host the system is for (its nixosConfigurations name and hostname).")
    String host;

    @CommandLine.Option(names = "--system", required = true, paramLabel = "PATH",
            description = "The system's store path; it must be in this machine's Nix store.")
    String system;

    @CommandLine.Option(names = "--commit", paramLabel = "SHA",
            description = "The commit the system was built from (default: HEAD of the checkout at --repo).")
    String commit;

    @CommandLine.Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "The git checkout that was built, for the default --commit (default: the current directory).")
    Path repo;

    @CommandLine.Option(names = "--builder", paramLabel = "NAME",
            description = "Who built it, as the record says (default: the configuration's hostname).")
    String builder;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = config.load().settings();
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
