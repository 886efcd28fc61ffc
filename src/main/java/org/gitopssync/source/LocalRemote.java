package org.gitopssync.source;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.internal.storage.file.FileReftableDatabase;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * A remote that is a repository on this machine ({@code /srv/git/hosts.git} or {@code file:///srv/git/hosts.git}):
 * the followed ref is read from its ref files, as the upload-pack JGit would run in this process reads them, but
 * without the thread and pipe per poll that the protocol conversation costs. Fetches still go through the protocol.
 */
final class LocalRemote implements AutoCloseable {

    private final KeptRepository repository;

    private LocalRemote(Path gitDir) {
        this.repository = new KeptRepository(gitDir);
    }

    /** The remote as a local repository when {@code url} names one by an absolute path; else empty. */
    static Optional<LocalRemote> of(String url) {
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        boolean local = (uri.getScheme() == null || "file".equals(uri.getScheme())) && uri.getHost() == null
                && uri.getPath() != null && uri.getPath().startsWith("/");
        if (!local) {
            return Optional.empty();
        }
        File gitDir = RepositoryCache.FileKey.resolve(new File(uri.getPath()), FS.DETECTED);
        return gitDir == null ? Optional.empty() : Optional.of(new LocalRemote(gitDir.toPath()));
    }

    /**
     * The refs among {@code names} that the remote has, annotated tags peeled as an advertisement peels them;
     * empty when the remote is no longer a repository here (the caller then asks over the protocol, whose error
     * says why).
     */
    Optional<Collection<Ref>> refs(List<String> names) throws IOException {
        Optional<Repository> opened = repository.borrow();
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (Repository repo = opened.get()) {
            RefDatabase refs = repo.getRefDatabase();
            if (FileReftableDatabase.isReftable(repo.getDirectory())) {
                // a reftable is read again only when asked, and a push that adds no pack leaves the kept one open
                refs.refresh();
            }
            // what upload-pack would hide (uploadpack.hideRefs, transfer.hideRefs) is not there for a follower either
            Map<String, Ref> advertised = new TransferConfig(repo).getRefFilter()
                    .filter(refs.exactRef(names.toArray(String[]::new)));
            List<Ref> found = new ArrayList<>();
            for (Ref ref : advertised.values()) {
                if (ref.getObjectId() != null) {
                    found.add(ref.isPeeled() ? ref : refs.peel(ref));
                }
            }
            return Optional.of(found);
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
