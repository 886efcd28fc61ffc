package org.gitopssync.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.GitopsException;
import org.gitopssync.cache.CachePublisher;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.ci.BuildPlacement;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.DeploySettings;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.Deployer;
import org.gitopssync.deploy.HealthGate;
import org.gitopssync.deploy.NixosRebuildDeployer;
import org.gitopssync.deploy.ProfileDeployer;
import org.gitopssync.deploy.RebootCheck;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.deploy.TransientUnit;
import org.gitopssync.events.EventJournal;
import org.gitopssync.events.LiveEvents;
import org.gitopssync.forge.StoredStatusOutbox;
import org.gitopssync.metrics.AgentMetrics;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;
import org.gitopssync.reconcile.CommitStatuses;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.Reconciler;
import org.gitopssync.report.CommandHook;
import org.gitopssync.report.ForgeStatusObserver;
import org.gitopssync.report.Forges;
import org.gitopssync.report.HookObserver;
import org.gitopssync.report.HttpHook;
import org.gitopssync.review.ClosureDiff;
import org.gitopssync.review.PullRequestHeads;
import org.gitopssync.review.PullRequestRunner;
import org.gitopssync.secrets.install.LinkConfinement;
import org.gitopssync.secrets.install.SecretsInstaller;
import org.gitopssync.secrets.install.SecretsKeys;
import org.gitopssync.secrets.vault.VaultSession;
import org.gitopssync.source.GitSource;
import org.gitopssync.source.TargetPolicy;
import org.gitopssync.state.StateStore;

/** The composition root: every stage built from the settings, wired once, closed together. */
public final class Agent implements AutoCloseable {

    private final Settings settings;
    private final StateStore store;
    private final GitSource source;
    private final CiEngine ci;
    private final Reconciler reconciler;
    private final CredentialResolver credentials;
    private final Forges forges;
    private final Optional<VaultSession> vault;
    private final SecretsInstaller secrets;
    private final PullRequestRunner pullRequests;
    private final AgentRestart restart;
    private AgentMetrics metrics;
    private final LiveEvents events;

    private Agent(Settings settings, StateStore store, GitSource source, CiEngine ci, Reconciler reconciler,
            CredentialResolver credentials, Forges forges, Optional<VaultSession> vault, SecretsInstaller secrets,
            PullRequestRunner pullRequests, AgentRestart restart, AgentMetrics metrics,
            LiveEvents events) {
        this.settings = settings;
        this.store = store;
        this.source = source;
        this.ci = ci;
        this.reconciler = reconciler;
        this.credentials = credentials;
        this.forges = forges;
        this.vault = vault;
        this.secrets = secrets;
        this.pullRequests = pullRequests;
        this.restart = restart;
        this.metrics = metrics;
        this.events = events;
    }

    /** Wires the agent for this process's environment. */
    public static Agent open(Settings settings, Map<String, String> environment) {
        // the host's zone: deploy.reboot.window is local time
        return open(settings, environment, new CommandRunner(), Clock.systemDefaultZone());
    }

    /** Wires the agent with a given runner and clock (tests put recording programs on the runner's PATH). */
    public static Agent open(Settings settings, Map<String, String> environment, CommandRunner runner, Clock clock) {
        return open(settings, environment, runner, clock, List.of());
    }

    /** Wires the agent with observers told before its own (a test stops there, as a killed process would). */
    public static Agent open(Settings settings, Map<String, String> environment, CommandRunner runner, Clock clock,
            List<CycleObserver> first) {
        CredentialResolver noVault = new CredentialResolver(environment, (p, f) -> {
            throw new ConfigException("credential vault " + p + "#" + f + ": no [vault] section is configured");
        });
        Optional<VaultSession> vault = settings.vault().map(v -> new VaultSession(v, noVault));
        CredentialResolver credentials = vault.map(session -> noVault.withVault(session::read)).orElse(noVault);
        StateStore store = StateStore.open(settings.stateDir());
        GitSource source = new GitSource(settings.repository(), credentials, settings.stateDir());
        Nix nix = new Nix(runner, settings.nix().options(), BuildPlacement.of(settings.ci(), credentials));
        DeploySettings d = settings.deploy();
        SystemProfile profile = new SystemProfile(d.profile(), d.currentSystem());
        HealthGate gate = new HealthGate(d.health(), runner, () -> reachable(source), HealthGate.Pause.sleeping());
        TransientUnit unit = TransientUnit.of(d.activationUnit(), d.activationTimeout());
        Deployer deployer = d.method() == DeploySettings.DeployMethod.PROFILE
                ? new ProfileDeployer(runner, profile, d.activationTimeout(), d.rollbackOnFailure(), gate, unit)
                : new NixosRebuildDeployer(runner, profile, d.nixosRebuild(), d.activationTimeout(),
                        d.rollbackOnFailure(), gate, unit);
        CiEngine ci = new CiEngine(nix, new CiResultStore(store), settings.ci(), settings.hostname(), settings.stateDir(),
                clock);
        SecretsInstaller secrets = new SecretsInstaller(settings.secrets(),
                () -> SecretsKeys.from(settings.secrets(), environment, vault), runner, store,
                LinkConfinement.of(settings.stateDir(), settings.secrets().root(), d.profile().getParent()));
        Forges forges = Forges.open(settings.forges(), credentials, kind -> new StoredStatusOutbox(store, kind, clock));
        CachePublisher caches = CachePublisher.create(settings, nix, credentials);
        List<CycleObserver> observers = new ArrayList<>(first);
        // Micrometer costs a one-shot command a few hundred ms: observed only where something reads it
        AgentMetrics metrics = settings.web().enable() || settings.metrics().textfile().isPresent()
                ? new AgentMetrics(store, AgentMetrics.version()) : null;
        if (metrics != null) {
            observers.add(metrics);
        }
        LiveEvents events = new LiveEvents(new EventJournal(), clock);
        observers.add(events);
        if (!forges.isEmpty()) {
            observers.add(new ForgeStatusObserver(forges, settings.hostname(), settings.repository().branch(),
                    settings.web().publicUrl()).buildingHere(settings.fleet().role() != FleetSettings.Role.HOST));
        }
        if (!settings.hooks().hooks().isEmpty()) {
            observers.add(new HookObserver(settings.hooks(), settings.hostname(), settings.repository().branch(),
                    new CommandHook(environment), new HttpHook(new DestinationGuard(HostResolver.SYSTEM))));
        }
        CycleObserver observer = CycleObserver.all(observers);
        Reconciler reconciler = new Reconciler(settings, store, new Reconciler.Parts(source, new TargetPolicy(settings.file()),
                secrets, ci, caches, Forges.repositoryName(settings), deployer, profile, observer,
                new RebootCheck(d.reboot(), runner, clock), forges.isEmpty() ? CommitStatuses.NONE : forges::statusesOf,
                Reconciler.FleetParts.of(settings, nix, credentials)), clock);
        PullRequestRunner pullRequests = new PullRequestRunner(settings, source, ci, caches, forges, new ClosureDiff(nix),
                profile, new PullRequestHeads(store, clock));
        return new Agent(settings, store, source, ci, reconciler, credentials, forges, vault, secrets, pullRequests,
                AgentRestart.of(nix, profile), metrics, events);
    }

    /** The health gate's git probe: the repository still answers ls-remote. */
    private static Optional<String> reachable(GitSource source) {
        try {
            source.remoteHead();
            return Optional.empty();
        } catch (GitopsException e) {
            return Optional.of(e.getMessage());
        }
    }

    public Settings settings() {
        return settings;
    }

    public StateStore store() {
        return store;
    }

    public GitSource source() {
        return source;
    }

    /** The CI engine, shared by cycles and {@code gitops-sync ci} so a newer commit can cancel an older build. */
    public CiEngine ci() {
        return ci;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public CredentialResolver credentials() {
        return credentials;
    }

    public Forges forges() {
        return forges;
    }

    /** The secrets stage, for {@code secrets check}. */
    public SecretsInstaller secrets() {
        return secrets;
    }

    /** The Vault login when {@code [vault]} is configured (the daemon renews its token). */
    public Optional<VaultSession> vault() {
        return vault;
    }

    /** Checks pull request heads: CI, cache, statuses and plan; never secrets, never activation. */
    public PullRequestRunner pullRequests() {
        return pullRequests;
    }

    /** Whether a daemon must restart after a cycle to run the agent package the deployed system carries. */
    public AgentRestart restart() {
        return restart;
    }

    /** The Prometheus families: {@code /metrics} and the {@code [metrics] textfile}. */
    public synchronized AgentMetrics metrics() {
        if (metrics == null) {
            // nothing observed cycles: what the state store knows, without this process's durations
            metrics = new AgentMetrics(store, AgentMetrics.version());
        }
        return metrics;
    }

    /** The live events of this process's cycles: {@code /api/events}. */
    public LiveEvents events() {
        return events;
    }

    @Override
    public void close() {
        forges.close();
        source.close();
        store.close();
    }
}
