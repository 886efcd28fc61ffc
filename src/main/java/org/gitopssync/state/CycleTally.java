package org.gitopssync.state;

/** How many finished cycles a trigger started that ended with this outcome. */
public record CycleTally(String trigger, CycleOutcome outcome, long count) {
}
