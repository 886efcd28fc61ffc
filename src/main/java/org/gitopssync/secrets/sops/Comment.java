package org.gitopssync.secrets.sops;

/** A comment line without its leading marker; {@code inline} when it followed a value on the same line. */
record Comment(String text, boolean inline) implements BranchItem {

    @Override
    public String toString() {
        return "Comment";
    }
}
