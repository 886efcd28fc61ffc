package org.gitopssync.reconcile;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.gitopssync.config.Settings;
import org.gitopssync.source.CommitSignatures;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.source.SignatureVerdict;
import org.gitopssync.source.SourceException;
import org.gitopssync.source.TargetPolicy;
import org.gitopssync.source.UntrustedCommitException;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * The cycle's SOURCE stage: nothing to do while the followed ref has not moved; else it is fetched and its commit
 * must descend from what went live ({@link TargetPolicy}), carry a trusted signature when one is required, and not
 * be quarantined.
 */
final class SourceStage {

    private static final Logger LOG = Logger.getLogger(SourceStage.class);

    private final Settings settings;
    private final StateStore store;
    private final GitSource source;
    private final TargetPolicy policy;
    private final CommitSignatures signatures;
    private final HandledCommits handled;
    private final SecretsStep secrets;
    private final Function<Boolean, Optional<String>> bootOutcome;
    private final Consumer<String> targetChosen;

    /**
     * {@code bootOutcome} says (once) what a reboot since the last cycle booted into, or that a waiting system's reboot was requested; {@code targetChosen} hears of the
     * fetched head before it is checked, so a newer push can supersede the cycle from then on.
     */
    SourceStage(Settings settings, StateStore store, GitSource source, TargetPolicy policy, HandledCommits handled,
            SecretsStep secrets, Function<Boolean, Optional<String>> bootOutcome, Consumer<String> targetChosen) {
        this.settings = settings;
        this.store = store;
        this.source = source;
        this.policy = policy;
        this.signatures = new CommitSignatures(settings.repository().signatures());
        this.handled = handled;
        this.secrets = secrets;
        this.bootOutcome = bootOutcome;
        this.targetChosen = targetChosen;
    }

    SourceResult run(CycleState cycle, boolean suspended) {
        Optional<String> remote = source.remoteHead();
        if (remote.isEmpty()) {
            throw new SourceException(source.notFound());
        }
        String branch = source.followedName();
        // a reboot since the last cycle is news even when the branch has not moved
        String bootNote = bootOutcome.apply(!suspended && !cycle.request.dryRun()).map(o -> {
            LOG.infof("cycle %d: %s", cycle.id, o);
            return "; " + o;
        }).orElse("");
        Optional<SourceMark> lastSeen = store.mark(SourceMark.LAST_SEEN).filter(m -> m.commit().equals(remote.get()));
        if (lastSeen.isEmpty() && suspended) {
            // built while suspended: unchanged only as long as the suspension lasts
            lastSeen = store.mark(SourceMark.LAST_SUSPENDED).filter(m -> m.commit().equals(remote.get()));
        }
        if (!cycle.request.force() && lastSeen.isPresent() && source.hasCommit(remote.get())
                && (suspended || !secrets.reinstallNeeded(cycle.id))) {
            cycle.commit = remote.get();
            return SourceResult.unchanged(branch + " is still at " + Reconciler.abbrev(remote.get())
                    + (lastSeen.get().note() == null ? "" : " (" + lastSeen.get().note() + ")") + "; nothing to do"
                    + bootNote);
        }
        FetchedCommit target = source.fetch();
        cycle.commit = target.sha();
        targetChosen.accept(target.sha());
        store.setCycleCommit(cycle.id, target.sha(), target.subject(), target.author());
        LOG.infof("cycle %d: source: %s at %s \"%s\"", cycle.id, branch, target.shortSha(), target.subject());
        if (!settings.repository().allowForcePush()) {
            // state written before last-live existed has only deployments
            Optional<SourceMark> lastLive = store.mark(SourceMark.LAST_LIVE).or(() -> store.lastSuccessfulDeployment()
                    .map(d -> new SourceMark(SourceMark.LAST_LIVE, d.commit(), d.finishedAt(), "deployed")));
            policy.check(source, branch, target.sha(), lastLive, store.mark(SourceMark.TRUSTED_BASE));
        }
        if (signatures.required()) {
            // every target is checked: neither a reset base nor a deployed ancestor vouches for a later head
            SignatureVerdict verdict = source.signature(target.sha(), signatures);
            if (!verdict.trusted()) {
                throw new UntrustedCommitException(branch, target.sha(), verdict);
            }
            LOG.debugf("cycle %d: source: %s signed by %s", cycle.id, target.shortSha(), verdict.signer());
        }
        Optional<Quarantine> quarantined = new Quarantines(store).of(target.sha());
        if (quarantined.isPresent()) {
            handled.handled(target, "quarantined since cycle " + quarantined.get().cycleId());
            return SourceResult.unchanged(target.shortSha() + " is quarantined: it was rolled back in cycle "
                    + quarantined.get().cycleId() + " because " + quarantined.get().probe() + " failed; push a new commit"
                    + " or run `gitops-sync retry`");
        }
        return SourceResult.fetched(target);
    }
}
