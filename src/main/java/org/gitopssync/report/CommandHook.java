package org.gitopssync.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.config.HooksSettings.Hook;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;

/**
 * Runs a command hook with a clean environment: only the event's {@code GITOPS_*} variables and a
 * few harmless ones of the agent's (PATH, locale, time zone), never the tokens and keys it was given.
 */
public final class CommandHook {

    /** The agent's variables a hook may see; everything else (GITOPS_* overrides, SOPS_AGE_KEY...) stays out. */
    static final List<String> PASSED = List.of("PATH", "LANG", "LC_ALL", "TZ");

    private final CommandRunner runner;

    /** A hook runner for an agent whose own environment is {@code agentEnvironment}. */
    public CommandHook(Map<String, String> agentEnvironment) {
        Map<String, String> passed = new LinkedHashMap<>();
        for (String name : PASSED) {
            String value = agentEnvironment.get(name);
            if (value != null) {
                passed.put(name, value);
            }
        }
        this.runner = CommandRunner.isolated(passed);
    }

    void run(Hook hook, Map<String, String> fields) {
        Map<String, String> env = new LinkedHashMap<>();
        fields.forEach((k, v) -> env.put("GITOPS_" + k, v));
        CommandResult result = runner.run(Command.of(hook.command()).withEnvironment(env).withTimeout(hook.timeout()),
                Cancellation.none());
        if (!result.succeeded()) {
            throw new HookFailedException(result.failureSummary());
        }
    }
}
