package org.gitopssync.secrets.install;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A written, not yet live generation and what to do with it as the cycle goes on. */
final class PreparedGeneration implements SecretsUpdate {

    private static final Logger LOG = Logger.getLogger(PreparedGeneration.class);

    private enum State { PREPARED, LIVE, DONE }

    private final SecretsSwitch root;
    private final int number;
    private final Optional<Integer> previous;
    private final UnitChanges units;
    private final String summary;
    private final UnitRestarter restarter;
    private final int keep;
    private final Runnable onLive;
    private State state = State.PREPARED;

    /** {@code onLive} runs once the generation is live (it remembers that the host has secrets). */
    PreparedGeneration(SecretsSwitch root, int number, Optional<Integer> previous, UnitChanges units, String summary,
            UnitRestarter restarter, int keep, Runnable onLive) {
        this.onLive = onLive;
        this.root = root;
        this.number = number;
        this.previous = previous;
        this.units = units;
        this.summary = summary;
        this.restarter = restarter;
        this.keep = keep;
    }

    int number() {
        return number;
    }

    UnitChanges units() {
        return units;
    }

    @Override
    public boolean pending() {
        return state == State.PREPARED;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void switchLive() {
        if (state == State.PREPARED) {
            try {
                root.switchTo(number);
                state = State.LIVE;
                onLive.run();
            } catch (RuntimeException e) {
                // current may already point here while a link failed: put the old generation back
                state = State.LIVE;
                revert();
                throw e;
            }
        }
    }

    @Override
    public String finish(boolean unitsRunNow, Path cycleLog) {
        if (state != State.LIVE) {
            return "";
        }
        state = State.DONE;
        String unitsNote;
        if (units.isEmpty()) {
            unitsNote = "";
        } else if (unitsRunNow) {
            unitsNote = restarter.apply(units, cycleLog);
        } else {
            unitsNote = "units restart at the next boot (" + units.describe() + ")";
        }
        try {
            List<Integer> pruned = root.prune(keep);
            if (!pruned.isEmpty()) {
                LOG.debugf("secrets: removed old generations %s", pruned);
            }
        } catch (RuntimeException e) {
            // the new generation is live and working; leftovers are pruned after the next deploy
            LOG.warnf("secrets: cannot remove old generations: %s", e.getMessage());
        }
        return "secrets generation " + number + " live" + (unitsNote.isEmpty() ? "" : ", " + unitsNote);
    }

    @Override
    public String revert() {
        if (state != State.LIVE) {
            discard();
            return "";
        }
        state = State.DONE;
        if (previous.isPresent() && Files.isDirectory(root.directory(previous.get()))) {
            root.switchTo(previous.get());
        } else {
            root.clear();
        }
        root.delete(number);
        return previous.map(p -> "secrets switched back to generation " + p).orElse("secrets generation " + number + " removed");
    }

    @Override
    public void discard() {
        if (state == State.PREPARED) {
            state = State.DONE;
            root.delete(number);
        }
    }

    @Override
    public String toString() {
        return "PreparedGeneration[" + number + ", " + state + "]";
    }
}
