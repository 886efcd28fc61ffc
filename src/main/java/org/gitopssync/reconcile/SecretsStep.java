package org.gitopssync.reconcile;

import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.config.Settings;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.install.CommitFiles;
import org.gitopssync.secrets.install.SecretsCheck;
import org.gitopssync.secrets.install.SecretsStage;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.jboss.logging.Logger;

/**
 * The cycle's SECRETS stage: decrypts the target's secrets into a new generation that goes live
 * only right before activation. Dry runs and dry-activate only check that every secret opens;
 * {@code operation = build} never decrypts.
 */
final class SecretsStep {

    private static final Logger LOG = Logger.getLogger(SecretsStep.class);

    private final Settings settings;
    private final GitSource source;
    private final SecretsStage secrets;

    SecretsStep(Settings settings, GitSource source, SecretsStage secrets) {
        this.settings = settings;
        this.source = source;
        this.secrets = secrets;
    }

    /** After a reboot the secrets tmpfs is empty although the branch has not moved. */
    boolean reinstallNeeded(long cycleId) {
        if (!secrets.reinstallNeeded()) {
            return false;
        }
        LOG.infof("cycle %d: secrets: the installed secrets are gone (reboot?); installing them again", cycleId);
        return true;
    }

    /**
     * Returns what a check found, for the summary ("; secrets: ..."), or empty; a prepared generation is kept in
     * the cycle, which discards it if it never goes live.
     */
    String run(CycleState cycle, FetchedCommit target) {
        Operation op = settings.deploy().operation();
        if (op == Operation.BUILD) {
            return "";
        }
        CommitFiles files = CommitFiles.of(target.sha(), path -> source.readFile(target.sha(), path));
        if (cycle.request.dryRun() || op == Operation.DRY_ACTIVATE) {
            SecretsCheck check = secrets.check(files);
            if (!check.ok()) {
                throw new SecretsException(check.summary());
            }
            LOG.infof("cycle %d: secrets: %s", cycle.id, check.summary());
            return check.found() ? "; secrets: " + check.summary() : "";
        }
        cycle.secrets = secrets.prepare(files);
        LOG.infof("cycle %d: secrets: %s", cycle.id, cycle.secrets.summary());
        return "";
    }
}
