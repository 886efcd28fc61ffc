package org.gitopssync.app;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gitopssync.GitopsException;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleScheduler;
import org.gitopssync.reconcile.HostStatus;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.review.PullRequestPoller;
import org.gitopssync.review.PullRequestQueue;
import org.gitopssync.secrets.vault.VaultSession;
import org.gitopssync.web.RunPages;
import org.gitopssync.web.WebServer;
import org.jboss.logging.Logger;

/** The daemon's wiring: the agent, its schedule, the web listener and webhooks, until Quarkus exits. */
@Singleton
public class Daemon {

    private static final Logger LOG = Logger.getLogger(Daemon.class);

    /** The exit code systemd restarts the agent on (the deployed system carries another build of it). */
    public static final int RESTART = 75;

    private final DaemonShutdown shutdown;

    public Daemon(DaemonShutdown shutdown) {
        this.shutdown = shutdown;
    }

    /** Runs until SIGTERM (exit code 0) or until the deployed system carries another agent ({@link #RESTART}). */
    public int run(Settings settings, Map<String, String> environment) {
        AtomicInteger exitCode = new AtomicInteger(0);
        try (Agent agent = Agent.open(settings, environment);
                CycleScheduler cycles = new CycleScheduler(agent.reconciler(), settings.repository().randomizedDelay(),
                        report -> restartIfUpgraded(agent.restart(), report, exitCode));
                PullRequestQueue pullRequests = PullRequestQueue.checking(agent.pullRequests());
                PeriodicTasks tasks = new PeriodicTasks()) {
            WebServer web = settings.web().enable() ? WebServer.start(settings.web(), new WebServer.Routes(
                    () -> HostStatus.read(settings, agent.store(), 20), new RunPages(agent.store(), settings, FleetTable.of(agent)),
                    agent.forges().webhookReceivers(settings.security()),
                    new DaemonWebhooks(settings, cycles, settings.pullRequests().enable() ? pullRequests : null,
                            agent.forges()), agent.metrics()::scrape, agent.metrics()::webhookDelivery,
                    agent.credentials().value("web.read_token", settings.web().readToken()).orElse(null),
                    agent.events().journal()))
                    : null;
            if (settings.pullRequests().enable() && settings.pullRequests().poll()) {
                PullRequestPoller poller = new PullRequestPoller(agent.forges(), pullRequests);
                tasks.every("pull request poll", settings.pullRequests().pollInterval(), Duration.ZERO, poller::poll);
            }
            Duration every = settings.repository().pollInterval();
            tasks.every("poll", every, every, cycles::requestScheduled);
            agent.vault().ifPresent(vault -> tasks.every("vault renewal", settings.vault().orElseThrow().renewInterval(),
                    settings.vault().orElseThrow().renewInterval(), () -> renew(vault)));
            shutdown.register(cycles);
            LOG.infof("daemon: following %s of %s every %s", settings.repository().branch(),
                    settings.repository().url(), SystemdDuration.format(every));
            cycles.request(Trigger.SCHEDULE);
            Quarkus.waitForExit();
            // normally DaemonShutdown has stopped the cycles already; this covers other exits
            cycles.shutdown(DaemonShutdown.GRACE);
            if (web != null) {
                web.close();
            }
        }
        return exitCode.get();
    }

    /**
     * The system just deployed carries another build of the agent: stop cleanly (the cycle is recorded) with the
     * exit code systemd restarts on, so the new build runs the next cycle.
     */
    private static void restartIfUpgraded(AgentRestart restart, CycleReport report, AtomicInteger exitCode) {
        try {
            restart.after(report).ifPresent(upgrade -> {
                LOG.infof("daemon: the deployed system carries %s; exiting with %d so systemd restarts the agent"
                        + " from it", upgrade, RESTART);
                exitCode.set(RESTART);
                Quarkus.asyncExit(RESTART);
            });
        } catch (GitopsException e) {
            LOG.warnf("daemon: cannot tell whether the deployed system carries another gitops-sync: %s",
                    e.getMessage());
        }
    }

    /** Keeps the Vault token alive between cycles; a failure is only logged (a cycle that needs Vault reports it). */
    private static void renew(VaultSession vault) {
        try {
            vault.renew();
        } catch (RuntimeException e) {
            LOG.warnf("vault: token renewal failed: %s", e.getMessage());
        }
    }
}
