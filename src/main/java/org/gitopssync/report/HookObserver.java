package org.gitopssync.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.config.HooksSettings;
import org.gitopssync.config.HooksSettings.Hook;
import org.gitopssync.reconcile.CycleEvent;
import org.gitopssync.reconcile.CycleObserver;
import org.jboss.logging.Logger;

/**
 * Runs the {@code [[hooks]]} that listen to a host event, one after the other, each bounded by its
 * timeout. Events arrive after the cycle is recorded, and a hook that fails, hangs or cannot be
 * reached is logged and otherwise ignored: hooks never change an outcome.
 */
public final class HookObserver implements CycleObserver {

    private static final Logger LOG = Logger.getLogger(HookObserver.class);

    private final HooksSettings hooks;
    private final String host;
    private final String branch;
    private final CommandHook commands;
    private final HttpHook http;

    public HookObserver(HooksSettings hooks, String host, String branch, CommandHook commands, HttpHook http) {
        this.hooks = hooks;
        this.host = host;
        this.branch = branch;
        this.commands = commands;
        this.http = http;
    }

    @Override
    public void event(CycleEvent event) {
        List<Hook> listening = hooks.on(event.event());
        if (listening.isEmpty()) {
            return;
        }
        Map<String, String> fields = fields(event);
        for (Hook hook : listening) {
            try {
                switch (hook.type()) {
                    case COMMAND -> commands.run(hook, fields);
                    case HTTP -> http.post(hook, fields);
                }
                LOG.debugf("cycle %d: hook %s ran for %s", event.cycleId(), hook.describe(), event.event().word());
            } catch (RuntimeException e) {
                LOG.warnf("cycle %d: hook %s for %s failed (the outcome stands): %s", event.cycleId(), hook.describe(),
                        event.event().word(), e.getMessage());
            }
        }
    }

    /** The event as hooks see it: {@code GITOPS_*} variables for commands, the same without the prefix as JSON. */
    Map<String, String> fields(CycleEvent event) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("EVENT", event.event().word());
        out.put("HOST", host);
        out.put("COMMIT", event.commit());
        out.put("BRANCH", branch);
        out.put("GENERATION", event.generation() == null ? "" : event.generation().toString());
        out.put("SYSTEM", event.system());
        out.put("ERROR", event.error());
        return out;
    }
}
