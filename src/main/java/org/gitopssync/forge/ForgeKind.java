package org.gitopssync.forge;

/** The forge software a repository is hosted on; Forgejo speaks Gitea's API with its own webhook headers. */
public enum ForgeKind {
    GITHUB("GitHub"),
    GITEA("Gitea"),
    FORGEJO("Forgejo"),
    GITLAB("GitLab");

    private final String displayName;

    ForgeKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
