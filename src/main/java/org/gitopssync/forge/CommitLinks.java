package org.gitopssync.forge;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.gitopssync.config.ForgeSettings;

/**
 * Where a person sees a commit on the forge: from the first configured {@code [[forges]]} (its instance and
 * repository), else from an https repository URL on a well-known forge; empty when neither tells.
 */
public final class CommitLinks {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");
    private static final List<String> KNOWN_GITHUB_STYLE = List.of("github.com", "codeberg.org");
    private static final List<String> KNOWN_GITLAB_STYLE = List.of("gitlab.com");

    private final String repositoryPage;
    private final String commitPath;

    private CommitLinks(String repositoryPage, String commitPath) {
        this.repositoryPage = repositoryPage;
        this.commitPath = commitPath;
    }

    public static CommitLinks of(List<ForgeSettings> forges, String repositoryUrl) {
        if (!forges.isEmpty()) {
            ForgeSettings f = forges.get(0);
            RepositoryCoordinates repo;
            try {
                repo = new RepositoryCoordinates(f.repository());
            } catch (IllegalArgumentException e) {
                return none();
            }
            if (repo.isNumericId()) {
                // a GitLab project id has no web page path
                return none();
            }
            String base = webBase(f);
            return new CommitLinks(base + "/" + repo.fullName(),
                    f.type() == ForgeSettings.ForgeType.GITLAB ? "/-/commit/" : "/commit/");
        }
        return fromUrl(repositoryUrl);
    }

    /** The commit's page, if this repository's forge is known. */
    public Optional<String> commit(String sha) {
        if (repositoryPage == null || sha == null || !SHA.matcher(sha).matches()) {
            return Optional.empty();
        }
        return Optional.of(repositoryPage + commitPath + sha);
    }

    private static String webBase(ForgeSettings f) {
        String api = f.apiUrl().toString().replaceAll("/+$", "");
        if (f.type() == ForgeSettings.ForgeType.GITHUB) {
            if (api.equals("https://api.github.com")) {
                return "https://github.com";
            }
            // GitHub Enterprise serves its API under /api/v3 of the instance
            return api.replaceAll("/api/v3$", "");
        }
        return api.replaceAll("/api/v[0-9]+$", "");
    }

    private static CommitLinks fromUrl(String url) {
        if (url == null || !url.startsWith("https://")) {
            return none();
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return none();
        }
        String host = uri.getHost();
        String repository = ForgeSettings.derivedRepository(url);
        if (host == null || repository == null || uri.getUserInfo() != null) {
            return none();
        }
        String page = "https://" + host + "/" + repository;
        if (KNOWN_GITHUB_STYLE.contains(host)) {
            return new CommitLinks(page, "/commit/");
        }
        if (KNOWN_GITLAB_STYLE.contains(host)) {
            return new CommitLinks(page, "/-/commit/");
        }
        return none();
    }

    private static CommitLinks none() {
        return new CommitLinks(null, null);
    }
}
