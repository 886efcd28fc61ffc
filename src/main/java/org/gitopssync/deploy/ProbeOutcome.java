package org.gitopssync.deploy;

/** One run of a health probe: its name as messages show it, whether it passed, and the end of its output. */
public record ProbeOutcome(String probe, boolean passed, String output) {
}
