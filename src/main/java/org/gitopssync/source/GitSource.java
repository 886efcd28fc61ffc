package org.gitopssync.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;
import org.gitopssync.DirectoryTree;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.RepositorySettings;
import org.jboss.logging.Logger;

/**
 * The agent's bare clone of the flake repository under the state directory. It only ever
 * fetches the followed ref ({@code repository.ref}: a branch, or a tag, peeled to its commit), and
 * commits are read from objects, never from a work tree, so what gets evaluated is exactly the
 * commit that was checked.
 */
public final class GitSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GitSource.class);
    /** Keeps the last deployed commit reachable in the clone whatever the branch does. */
    public static final String DEPLOYED_REF = "refs/gitops/deployed";
    /** Where {@code gitops-sync ci <ref>} keeps what it fetched, apart from the followed branch. */
    public static final String CI_REF_PREFIX = "refs/gitops/ci/";
    /** Packs the clone may hold before a fetch repacks them into one (every fetch adds one). */
    static final int PACK_LIMIT = 20;

    private final RepositorySettings settings;
    private final Path gitDir;
    private final GitTransport transport;
    private final CloneUpkeep upkeep;
    private final FollowedRef followed;
    private final KeptRepository kept;
    private final Optional<LocalRemote> localRemote;

    public GitSource(RepositorySettings settings, CredentialResolver credentials, Path stateDir) {
        this(settings, credentials, stateDir, PACK_LIMIT);
    }

    GitSource(RepositorySettings settings, CredentialResolver credentials, Path stateDir, int packLimit) {
        GitEnvironment.isolate();
        this.settings = settings;
        this.gitDir = stateDir.resolve("repo.git");
        this.followed = new FollowedRef(settings.ref());
        this.kept = new KeptRepository(gitDir);
        this.localRemote = LocalRemote.of(settings.url());
        this.upkeep = new CloneUpkeep(gitDir, packLimit,
                settings.fetchTimeout().multipliedBy(2).plus(Duration.ofMinutes(1)));
        this.transport = new GitTransport(settings, credentials, stateDir.resolve("ssh"));
    }

    public Path gitDir() {
        return gitDir;
    }

    /** The followed ref's full name: {@code refs/heads/<branch>} or {@code refs/tags/<tag>}. */
    private String branchRef() {
        if (!followed.isResolved()) {
            remoteHead();
        }
        return followed.fullName();
    }

    /**
     * The commit the followed ref points at now (ls-remote; an annotated tag peeled to its commit), or empty
     * when the remote has no such branch or tag. A bare name that is both a branch and a tag is refused.
     */
    public Optional<String> remoteHead() {
        Collection<Ref> refs = localRefs().orElseGet(this::listRemote);
        return followed.pick(refs, settings.url())
                .map(r -> (r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId()).name());
    }

    /** The followed ref's candidates read from a remote on this machine; empty for any other remote. */
    private Optional<Collection<Ref>> localRefs() {
        if (localRemote.isEmpty()) {
            return Optional.empty();
        }
        try {
            return localRemote.get().refs(followed.candidates());
        } catch (IOException | RuntimeException e) {
            throw failure("cannot list " + settings.url(), e);
        }
    }

    private Collection<Ref> listRemote() {
        try {
            return transport.configure(Git.lsRemoteRepository())
                    .setRemote(settings.url())
                    .setHeads(true)
                    .setTags(followed.mayBeTag())
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            throw failure("cannot list " + settings.url(), e);
        }
    }

    /** What the host follows, for messages: {@code main} for a branch, {@code tag v1} for a tag. */
    public String followedName() {
        return followed.displayName();
    }

    /** Why {@link #remoteHead()} found nothing, in words. */
    public String notFound() {
        return followed.notFound(settings.url());
    }

    /** Clones on first use, else fetches only the followed ref; returns the commit it points at (a tag peeled). */
    public FetchedCommit fetch() {
        String ref = branchRef();
        return fetchInto(ref, ref, ref.startsWith(Constants.R_TAGS) ? followedName() : "branch " + followedName());
    }

    /**
     * Fetches a branch, tag or commit of the repository (not only the followed branch) into
     * {@link #ciRef(String)} and returns its commit, for CI runs of arbitrary refs.
     */
    public FetchedCommit fetchForCi(String ref) {
        String local = ciRef(ref);
        Optional<String> named = remoteRefNamed(ref);
        if (named.isPresent()) {
            return fetchInto(named.get(), local, ref);
        }
        if (!ref.matches("[0-9a-f]{7,40}")) {
            throw new SourceException("no branch, tag or commit named " + ref + " in " + settings.url());
        }
        ensureCloned();
        try (Git git = open()) {
            Repository repo = git.getRepository();
            if (repo.resolve(ref + "^{commit}") == null && ref.length() == 40) {
                // servers that allow fetching any reachable commit by id answer this; others refuse
                fetchRefSpec(git, ref + ":" + local);
            }
            ObjectId id = repo.resolve(ref + "^{commit}");
            if (id == null) {
                throw new SourceException("commit " + ref + " is not in " + settings.url()
                        + " (fetch of the followed branch first, or give a branch or tag)");
            }
            pin(local, id.name());
            return describe(repo, id);
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("cannot fetch " + ref + " from " + settings.url(), e);
        }
    }

    /**
     * Fetches one ref of the remote that ls-remote of heads and tags does not show, such as a pull
     * request head ({@code refs/pull/7/head}, {@code refs/merge-requests/7/head}), into {@code local}.
     */
    public FetchedCommit fetchRef(String remoteRef, String local) {
        return fetchInto(remoteRef, local, remoteRef);
    }

    /** The full name of a remote branch or tag called {@code ref} (or named exactly so). */
    private Optional<String> remoteRefNamed(String ref) {
        try {
            Collection<Ref> remote = transport.configure(Git.lsRemoteRepository()).setRemote(settings.url())
                    .setHeads(true).setTags(true).call();
            for (String candidate : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref, ref)) {
                if (remote.stream().anyMatch(r -> r.getName().equals(candidate))) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        } catch (GitAPIException | RuntimeException e) {
            throw failure("cannot list " + settings.url(), e);
        }
    }

    /** Clones if needed, fetches {@code remoteRef} into {@code local} (forced), and describes its commit. */
    private FetchedCommit fetchInto(String remoteRef, String local, String what) {
        ensureCloned();
        try (Git git = open()) {
            fetchRefSpec(git, "+" + remoteRef + ":" + local);
            Ref ref = git.getRepository().exactRef(local);
            if (ref == null) {
                throw new SourceException(what + " does not exist in " + settings.url());
            }
            return describe(git.getRepository(), ref.getObjectId());
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("cannot fetch " + what + " from " + settings.url(), e);
        }
    }

    private void fetchRefSpec(Git git, String spec) throws GitAPIException, IOException {
        upkeep.exclusively(() -> {
            ensureOrigin(git.getRepository());
            transport.configure(git.fetch()).setRemote("origin").setRefSpecs(new RefSpec(spec))
                    .setTagOpt(TagOpt.NO_TAGS).call();
        }, git);
    }

    private void ensureCloned() {
        if (!Files.isDirectory(gitDir.resolve("objects"))) {
            cloneFresh();
        }
    }

    /** The private ref a CI fetch of {@code ref} lands in. */
    public static String ciRef(String ref) {
        return CI_REF_PREFIX + ref.replaceAll("[^A-Za-z0-9._/-]", "_").replaceAll("\\.\\.+", "_")
                .replaceAll("^[/.]+|[/.]+$", "");
    }

    private void cloneFresh() {
        Path partial = gitDir.resolveSibling(gitDir.getFileName() + ".partial");
        try {
            DirectoryTree.delete(partial);
            Files.createDirectories(gitDir.getParent());
            LOG.infof("cloning %s (%s) into %s", settings.url(), followedName(), gitDir);
            // init + fetch rather than JGit's clone: the clone's fetch would start JGit's background auto-gc
            // on the .partial directory, which then races the rename below
            try (Git git = Git.init().setBare(true).setGitDir(partial.toFile()).call()) {
                ensureOrigin(git.getRepository());
                // for a tag the repository starts empty and the cycle's fetch brings the tag
                if (!branchRef().startsWith(Constants.R_TAGS)) {
                    transport.configure(git.fetch()).setRemote("origin")
                            .setRefSpecs(new RefSpec("+" + branchRef() + ":" + branchRef()))
                            .setTagOpt(TagOpt.NO_TAGS).call();
                    RefUpdate head = git.getRepository().updateRef(Constants.HEAD);
                    head.link(branchRef());
                }
                LOG.debug("clone complete");
            }
            DirectoryTree.delete(gitDir);
            // a half-finished clone must never look like a repository to the next cycle
            Files.move(partial, gitDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("cannot clone " + settings.url(), e);
        }
    }

    private void ensureOrigin(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        // CloneUpkeep repacks the clone; JGit's own auto-gc after each fetch would run on a background
        // thread that outlives the fetch and races renames, repacks and shutdown
        boolean gcOwnedHere = config.getInt("gc", "auto", -1) == 0 && !config.getBoolean("gc", "autoDetach", true);
        if (!settings.url().equals(config.getString("remote", "origin", "url")) || !gcOwnedHere) {
            config.setString("remote", "origin", "url", settings.url());
            config.setInt("gc", null, "auto", 0);
            config.setBoolean("gc", null, "autoDetach", false);
            config.save();
        }
    }

    /** Whether {@code descendant} is {@code ancestor} or has it in its history. */
    public boolean descendsFrom(String descendant, String ancestor) {
        try (Repository repo = openRepository(); RevWalk walk = new RevWalk(repo)) {
            RevCommit a = walk.parseCommit(ObjectId.fromString(ancestor));
            RevCommit d = walk.parseCommit(ObjectId.fromString(descendant));
            return walk.isMergedInto(a, d);
        } catch (MissingObjectException e) {
            return false;
        } catch (IOException e) {
            throw new SourceException("cannot compare " + ancestor + " and " + descendant + " in " + gitDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} commits of {@code head}'s history that {@code base} does not have, newest first, {@code head}
     * included; without a base, the newest of the whole history.
     */
    public List<String> commitsSince(String head, Optional<String> base, int limit) {
        try (Repository repo = openRepository(); RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            if (base.isPresent() && hasCommit(base.get())) {
                walk.markUninteresting(walk.parseCommit(ObjectId.fromString(base.get())));
            }
            List<String> out = new ArrayList<>();
            for (RevCommit c : walk) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(c.getName());
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw failure("cannot list the commits of " + head, e);
        }
    }

    /** Whether the clone holds this commit; not when there is no clone (the next fetch clones again). */
    public boolean hasCommit(String sha) {
        try {
            Optional<Repository> clone = kept.borrow();
            if (clone.isEmpty()) {
                return false;
            }
            try (Repository repo = clone.get(); RevWalk walk = new RevWalk(repo)) {
                walk.parseCommit(ObjectId.fromString(sha));
                return true;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Resolves a full or abbreviated commit id present in the clone. */
    public FetchedCommit resolve(String rev) {
        try (Repository repo = openRepository()) {
            ObjectId id = repo.resolve(rev + "^{commit}");
            if (id == null) {
                throw new SourceException("commit " + rev + " is not in the local clone of " + settings.url()
                        + " (run a sync first, or check the id)");
            }
            return describe(repo, id);
        } catch (IOException | RuntimeException e) {
            throw failure("cannot resolve " + rev, e);
        }
    }

    /** A file's bytes at a commit, or empty when the commit has no such file. */
    public Optional<byte[]> readFile(String sha, String path) {
        try (Repository repo = openRepository(); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (tw == null) {
                    return Optional.empty();
                }
                // a link's blob is only its target's name: reading it as the file would mislead, and
                // following it would read the host's files
                FileMode mode = tw.getFileMode(0);
                if (mode == FileMode.SYMLINK) {
                    throw new SourceException(path + " is a symbolic link in commit " + sha.substring(0, Math.min(12, sha.length()))
                            + "; secrets, templates and the manifest must be regular files in the repository");
                }
                if ((mode.getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                    throw new SourceException(path + " is not a file in commit " + sha.substring(0, Math.min(12, sha.length())));
                }
                ObjectLoader loader = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                return Optional.of(loader.getBytes());
            }
        } catch (IOException e) {
            throw new SourceException("cannot read " + path + " at " + sha + ": " + e.getMessage(), e);
        }
    }

    /** Points a private ref at a commit so it stays reachable (and is never garbage collected). */
    public void pin(String refName, String sha) {
        try (Repository repo = openRepository()) {
            RefUpdate u = repo.updateRef(refName);
            u.setNewObjectId(ObjectId.fromString(sha));
            u.setForceUpdate(true);
            RefUpdate.Result r = u.update();
            if (r == RefUpdate.Result.LOCK_FAILURE || r == RefUpdate.Result.IO_FAILURE || r == RefUpdate.Result.REJECTED) {
                throw new SourceException("cannot update " + refName + " in " + gitDir + ": " + r);
            }
        } catch (IOException e) {
            throw new SourceException("cannot update " + refName + " in " + gitDir + ": " + e.getMessage(), e);
        }
    }

    /** The flake reference for exactly this commit of the clone. */
    public String flakeRef(String sha) {
        return flakeRef(branchRef(), sha);
    }

    /** What the signature of a fetched commit says, judged by {@code signatures}. */
    public SignatureVerdict signature(String sha, CommitSignatures signatures) {
        try (Repository repo = openRepository(); RevWalk walk = new RevWalk(repo)) {
            return signatures.verify(repo, walk.parseCommit(ObjectId.fromString(sha)));
        } catch (IOException e) {
            throw failure("cannot read commit " + sha, e);
        }
    }

    /** The flake reference for a commit reached through another ref of the clone (see {@link #fetchForCi}). */
    public String flakeRef(String ref, String sha) {
        return "git+file://" + gitDir.toAbsolutePath() + "?ref=" + ref + "&rev=" + sha;
    }

    private FetchedCommit describe(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            return new FetchedCommit(c.getName(), c.getShortMessage(), c.getAuthorIdent().getName(),
                    Instant.ofEpochSecond(c.getCommitTime()));
        }
    }

    /** A Git that closes its repository, so the packs it opened are released with it. */
    private Git open() throws IOException {
        return new Git(openRepository(), true);
    }

    private Repository openRepository() throws IOException {
        if (!Files.isDirectory(gitDir.resolve("objects"))) {
            throw new SourceException("no local clone at " + gitDir + " yet (run a sync first)");
        }
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setFS(FS.DETECTED).setMustExist(true).build();
    }

    private SourceException failure(String what, Exception e) {
        if (e instanceof SourceException se) {
            return se;
        }
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !why.toString().contains(m)) {
                why.append(why.length() == 0 ? "" : ": ").append(m);
            }
        }
        transport.hostKeyRefusal().ifPresent(r -> why.append(" (").append(r).append(")"));
        return new SourceException(what + ": " + why, e);
    }

    @Override
    public void close() {
        kept.close();
        localRemote.ifPresent(LocalRemote::close);
        transport.close();
    }
}
