package org.gitopssync.forge;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository on a forge: {@code owner/name} on GitHub and Gitea, a namespaced path
 * ({@code group/subgroup/project}) or numeric project id on GitLab.
 */
public record RepositoryCoordinates(String fullName) {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    public RepositoryCoordinates {
        Objects.requireNonNull(fullName, "fullName");
        if (!NUMERIC.matcher(fullName).matches()) {
            String[] segments = fullName.split("/", -1);
            if (segments.length < 2) {
                throw new IllegalArgumentException("repository must be owner/name: " + fullName);
            }
            for (String segment : segments) {
                // ".." or empty segments would let a configured name walk to another API path.
                if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
                    throw new IllegalArgumentException("invalid repository path segment in " + fullName);
                }
            }
        }
    }

    public static RepositoryCoordinates of(String owner, String name) {
        return new RepositoryCoordinates(owner + "/" + name);
    }

    /** GitLab project by numeric id or by namespaced path. */
    public static RepositoryCoordinates gitLabProject(String idOrPath) {
        return new RepositoryCoordinates(idOrPath);
    }

    public boolean isNumericId() {
        return NUMERIC.matcher(fullName).matches();
    }

    /** Everything before the last slash (the namespace on GitLab). */
    public String owner() {
        int slash = fullName.lastIndexOf('/');
        return slash < 0 ? "" : fullName.substring(0, slash);
    }

    public String name() {
        return fullName.substring(fullName.lastIndexOf('/') + 1);
    }

    boolean isOwnerAndName() {
        return !isNumericId() && fullName.indexOf('/') == fullName.lastIndexOf('/');
    }

    /** The whole path as one URL path segment, as GitLab expects ({@code group%2Fproject}). */
    String encodedAsOneSegment() {
        return encode(fullName);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return fullName;
    }
}
