package org.gitopssync.cli;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.gitopssync.GitopsException;
import org.gitopssync.config.DaemonRequirements;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.reconcile.Agent;
import org.gitopssync.reconcile.AgentRestart;
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
import picocli.CommandLine;

/** {@code daemon}: keep syncing on a schedule (and from webhooks) until stopped. */
@CommandLine.Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Keep syncing: a cycle every repository.poll_interval, and on webhooks, until SIGTERM.",
            "Each poll waits a random delay up to repository.randomized_delay; SIGTERM cancels a running build cleanly."})
class DaemonCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(DaemonCommand.class);

    @CommandLine.Mixin
    ConfigOption config;

    @Inject
    DaemonShutdown shutdown;

    @Override
    public Integer call() {
        Settings settings = config.load().settings();
        DaemonRequirements.check(settings);
        AtomicInteger exitCode = new AtomicInteger(ExitCodes.OK);
        try (Agent agent = Agent.open(settings, System.getenv());
                CycleScheduler cycles = new CycleScheduler(agent.reconciler(), settings.repository().randomizedDelay(),
                        report -> restartIfUpgraded(agent.restart(), report, exitCode));
                PullRequestQueue pullRequests = PullRequestQueue.checking(agent.pullRequests());
                PeriodicTasks tasks = new PeriodicTasks()) {
            WebServer web = settings.web().enable() ? WebServer.start(settings.web(), new WebServer.Routes(
                    () -> HostStatus.read(settings, agent.store(), 20), new RunPages(agent.store()),
                    agent.forges().webhookReceivers(settings.security()),
                    new DaemonWebhooks(settings, cycles, settings.pullRequests().enable() ? pullRequests : null,
                            agent.forges()), agent.metrics()::scrape))
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
                        + " from it", upgrade, ExitCodes.RESTART);
                exitCode.set(ExitCodes.RESTART);
                Quarkus.asyncExit(ExitCodes.RESTART);
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
