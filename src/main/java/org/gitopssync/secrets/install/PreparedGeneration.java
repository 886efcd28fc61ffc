package org.gitopssync.secrets.install;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A written, not yet live generation and what to do with it as the cycle goes on. */
final class PreparedGeneration implements SecretsUpdate {

    private enum State { PREPARED, LIVE, DONE }

    private final SecretsSwitch root;
    private final int number;
    private final Optional<Integer> previous;
    private final UnitChanges units;
    private final String summary;
    private final SecretsLedger ledger;
    private final Settlement settlement;
    private State state = State.PREPARED;

    PreparedGeneration(SecretsSwitch root, int number, Optional<Integer> previous, UnitChanges units, String summary,
            SecretsLedger ledger, Settlement settlement) {
        this.root = root;
        this.number = number;
        this.previous = previous;
        this.units = units;
        this.summary = summary;
        this.ledger = ledger;
        this.settlement = settlement;
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
            // owed before the switch: if the process dies after it, the next cycle still restarts them
            ledger.owe(number, units);
            try {
                root.switchTo(number);
                state = State.LIVE;
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
        String unitsNote = settlement.settle(unitsRunNow, cycleLog, true);
        return "secrets generation " + number + " live" + (unitsNote.isEmpty() ? "" : ", " + unitsNote);
    }

    @Override
    public Optional<String> replaces() {
        return Optional.of(previous.map(String::valueOf).orElse("none"));
    }

    @Override
    public String revert() {
        if (state != State.LIVE) {
            discard();
            return "";
        }
        state = State.DONE;
        ledger.forgive(number);
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
