package org.gitopssync.ci;

/** A host's system, built: the flake attribute, its derivation and its output path. */
public record BuiltSystem(String host, String attribute, String drvPath, String outPath) {
}
