package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;
import org.jboss.logging.Logger;

/**
 * What every successful cycle owes the secrets root, whether or not it wrote a generation: the units still owed
 * (by this cycle, or by one killed after its switch) restarted, old generations pruned to {@code keep_generations},
 * and the live generation remembered, so that an emptied tmpfs is noticed.
 */
final class Settlement {

    private static final Logger LOG = Logger.getLogger(Settlement.class);

    private final SecretsSwitch root;
    private final SecretsLedger ledger;
    private final UnitRestarter restarter;
    private final int keep;

    Settlement(SecretsSwitch root, SecretsLedger ledger, UnitRestarter restarter, int keep) {
        this.root = root;
        this.ledger = ledger;
        this.restarter = restarter;
        this.keep = keep;
    }

    /**
     * Runs the owed units now ({@code unitsRunNow}: switch, test) or leaves them to the next boot; returns what
     * happened ("" if nothing was owed). {@code hasSecrets}: whether the deployed commit declares secrets.
     */
    String settle(boolean unitsRunNow, Path cycleLog, boolean hasSecrets) {
        UnitChanges owed = ledger.owed();
        String note;
        if (owed.isEmpty()) {
            note = "";
        } else if (unitsRunNow) {
            note = restarter.apply(owed, cycleLog);
        } else {
            note = "units restart at the next boot (" + owed.describe() + ")";
        }
        // a failed restart is reported, not retried forever: the operator sees it in the summary
        ledger.settle();
        try {
            List<Integer> pruned = root.prune(keep);
            if (!pruned.isEmpty()) {
                LOG.debugf("secrets: removed old generations %s", pruned);
            }
        } catch (RuntimeException e) {
            // the live generation works; leftovers are pruned by the next successful cycle
            LOG.warnf("secrets: cannot remove old generations: %s", e.getMessage());
        }
        try {
            ledger.expect(hasSecrets ? root.liveFingerprint() : Optional.empty());
        } catch (SecretsException e) {
            LOG.warnf("secrets: cannot read the live generation: %s", e.getMessage());
        }
        return note;
    }
}
