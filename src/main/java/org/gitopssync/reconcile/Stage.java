package org.gitopssync.reconcile;

import java.util.Locale;

/** The stages of a cycle, in order; a failed cycle names the one it failed in. */
public enum Stage {
    LOCK, SOURCE, SECRETS, BUILD, CACHE, DEPLOY, REPORT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
