package org.gitopssync.secrets.install;

import java.nio.file.Path;

/** No new generation: the live one (if any) stays, and the cycle still settles what earlier cycles left owed. */
final class SettledGeneration implements SecretsUpdate {

    private final String summary;
    private final Settlement settlement;
    private final boolean hasSecrets;

    SettledGeneration(String summary, Settlement settlement, boolean hasSecrets) {
        this.summary = summary;
        this.settlement = settlement;
        this.hasSecrets = hasSecrets;
    }

    @Override
    public boolean pending() {
        return false;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void switchLive() {
    }

    @Override
    public String finish(boolean unitsRunNow, Path cycleLog) {
        String note = settlement.settle(unitsRunNow, cycleLog, hasSecrets);
        return note.isEmpty() ? "" : "secrets owed by an interrupted cycle: " + note;
    }

    @Override
    public String revert() {
        return "";
    }

    @Override
    public void discard() {
    }
}
