package org.gitopssync.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.fleet.ReleaseRefusedException;
import org.gitopssync.fleet.ReleaseStore;
import org.gitopssync.fleet.SystemRealiser;
import org.gitopssync.fleet.TrustedKeys;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * {@code role = "host"}: deploy what a trusted builder released instead of evaluating and building. The newest
 * commit since the last live one that has a release record of this host is deployed; with none, the host waits
 * ({@code wait}), then keeps waiting or builds the head itself ({@code fallback}). A record that fails a check fails
 * the cycle before anything changes.
 */
final class HostRole implements FleetRole {

    private static final Logger LOG = Logger.getLogger(HostRole.class);
    /** How far back the branch is searched for a released commit; older ones are not worth deploying. */
    static final int SEARCH_DEPTH = 50;
    /** The branch head a host first found without a release record, and since when. */
    static final String WAITING_MARK = "fleet-waiting";

    private final Settings settings;
    private final FleetSettings fleet;
    private final StateStore store;
    private final GitSource source;
    private final ReleaseStore releases;
    private final TrustedKeys trusted;
    private final SystemRealiser realiser;
    private final BuildStage fallback;
    private final Clock clock;

    HostRole(Settings settings, StateStore store, GitSource source, ReleaseStore releases, SystemRealiser realiser,
            BuildStage fallback, Clock clock) {
        this.settings = settings;
        this.fleet = settings.fleet();
        this.store = store;
        this.source = source;
        this.releases = releases;
        this.trusted = new TrustedKeys(fleet.trustedKeys());
        this.realiser = realiser;
        this.fallback = fallback;
        this.clock = clock;
    }

    @Override
    public Deployable choose(CycleState cycle, FetchedCommit head) {
        String host = settings.hostname();
        // what the target policy measures descent from: an operator's reset base, else what went live
        Optional<String> base = store.mark(SourceMark.TRUSTED_BASE).or(() -> store.mark(SourceMark.LAST_LIVE))
                .map(SourceMark::commit);
        List<String> candidates = new ArrayList<>(source.commitsSince(head.sha(), base, SEARCH_DEPTH));
        store.mark(SourceMark.TRUSTED_BASE).map(SourceMark::commit).filter(b -> !candidates.contains(b))
                .ifPresent(candidates::add);
        boolean descentRequired = !settings.repository().allowForcePush();
        for (String commit : candidates) {
            Optional<String> text = releases.read(host, commit);
            if (text.isEmpty()) {
                continue;
            }
            String where = releases.describe(host, commit);
            ReleaseRecord record = verified(where, text.get(), host, commit);
            if (descentRequired && base.isPresent() && !source.descendsFrom(commit, base.get())) {
                // a side branch merged into the head: released, but older than what went live
                continue;
            }
            if (!commit.equals(head.sha())) {
                LOG.infof("cycle %d: release: no record of %s yet; %s is the newest released commit since %s", cycle.id,
                        head.shortSha(), Reconciler.abbrev(commit), base.map(Reconciler::abbrev).orElse("the start"));
            }
            return Deployable.of(commit.equals(head.sha()) ? head : source.resolve(commit),
                    new RealiseStage(realiser, record, where));
        }
        Instant since = waitingSince(head);
        Instant until = since.plus(fleet.waitFor());
        String missing = "no release record of " + host + " at " + head.shortSha() + " in " + fleet.releases();
        if (clock.instant().isBefore(until)) {
            return Deployable.waiting("waiting for builder: " + missing + " (waiting since " + since + ", up to "
                    + SystemdDuration.format(fleet.waitFor()) + ")");
        }
        if (fleet.fallback() == FleetSettings.Fallback.BUILD) {
            LOG.infof("cycle %d: release: %s for %s; building it here (fleet.fallback = \"build\")", cycle.id, missing,
                    SystemdDuration.format(fleet.waitFor()));
            return Deployable.of(head, fallback);
        }
        return Deployable.waiting("waiting for builder: " + missing + " since " + since + " (fleet.fallback = \"wait\")");
    }

    @Override
    public String publish(CycleState cycle, FetchedCommit target, BuildResult built) {
        return "";
    }

    private ReleaseRecord verified(String where, String text, String host, String commit) {
        ReleaseRecord record = ReleaseRecord.parse(where, text);
        if (!record.host().equals(host)) {
            throw new ReleaseRefusedException(where, "host", "the record is for host " + record.host() + ", this host is "
                    + host);
        }
        if (!record.commit().equals(commit)) {
            throw new ReleaseRefusedException(where, "commit", "the record is for commit " + record.commit()
                    + ", it is stored as " + commit);
        }
        trusted.verify(where, record);
        return record;
    }

    /** When this head was first found without a record: the wait is counted per head, across cycles. */
    private Instant waitingSince(FetchedCommit head) {
        Optional<SourceMark> mark = store.mark(WAITING_MARK).filter(m -> m.commit().equals(head.sha()));
        if (mark.isPresent()) {
            return mark.get().updatedAt();
        }
        Instant now = clock.instant();
        store.setMark(WAITING_MARK, head.sha(), "no release record yet", now);
        return now;
    }
}
