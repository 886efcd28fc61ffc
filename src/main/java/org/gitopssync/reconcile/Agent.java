package org.gitopssync.reconcile;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.ci.SystemBuilder;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.DeploySettings;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.Deployer;
import org.gitopssync.deploy.NixosRebuildDeployer;
import org.gitopssync.deploy.ProfileDeployer;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;
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
    private final Reconciler reconciler;
    private final Optional<VaultSession> vault;
    private final SecretsInstaller secrets;

    private Agent(Settings settings, StateStore store, GitSource source, Reconciler reconciler,
            Optional<VaultSession> vault, SecretsInstaller secrets) {
        this.secrets = secrets;
        this.settings = settings;
        this.store = store;
        this.source = source;
        this.reconciler = reconciler;
        this.vault = vault;
    }

    /** Wires the agent for this process's environment. */
    public static Agent open(Settings settings, Map<String, String> environment) {
        return open(settings, environment, new CommandRunner(), Clock.systemUTC());
    }

    /** Wires the agent with a given runner and clock (tests put recording programs on the runner's PATH). */
    public static Agent open(Settings settings, Map<String, String> environment, CommandRunner runner, Clock clock) {
        CredentialResolver noVault = new CredentialResolver(environment, (p, f) -> {
            throw new org.gitopssync.config.ConfigException("credential vault " + p + "#" + f
                    + ": no [vault] section is configured");
        });
        Optional<VaultSession> vault = settings.vault().map(v -> new VaultSession(v, noVault));
        CredentialResolver credentials = vault.map(session -> noVault.withVault(session::read)).orElse(noVault);
        StateStore store = StateStore.open(settings.stateDir());
        GitSource source = new GitSource(settings.repository(), credentials, settings.stateDir());
        Nix nix = new Nix(runner, settings.nix().options());
        DeploySettings d = settings.deploy();
        SystemProfile profile = new SystemProfile(d.profile(), d.currentSystem());
        Deployer deployer = d.method() == DeploySettings.DeployMethod.PROFILE
                ? new ProfileDeployer(runner, profile, d.activationTimeout(), d.rollbackOnFailure())
                : new NixosRebuildDeployer(runner, profile, d.nixosRebuild(), d.activationTimeout(), d.rollbackOnFailure());
        SystemBuilder builder = new SystemBuilder(nix, settings.stateDir().resolve("gcroots"), d.buildTimeout());
        SecretsInstaller secrets = new SecretsInstaller(settings.secrets(),
                () -> SecretsKeys.from(settings.secrets(), environment, vault), runner,
                Optional.of(settings.stateDir().resolve("secrets-installed")));
        Reconciler reconciler = new Reconciler(settings, store, source, new TargetPolicy(), builder, deployer, clock, secrets);
        return new Agent(settings, store, source, reconciler, vault, secrets);
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

    public Reconciler reconciler() {
        return reconciler;
    }

    /** The secrets stage, for {@code secrets check}. */
    public SecretsInstaller secrets() {
        return secrets;
    }

    /** The Vault login when {@code [vault]} is configured (the daemon renews its token). */
    public Optional<VaultSession> vault() {
        return vault;
    }

    @Override
    public void close() {
        source.close();
        store.close();
    }
}
