package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.gitopssync.GitopsException;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * The real secrets stage, the sops-nix way: every secret and template of the commit's manifest is decrypted
 * in memory first (any failure stops here, nothing written), then written as a complete new generation under
 * {@code [secrets] root}, which goes live only when the cycle switches to it.
 */
public final class SecretsInstaller implements SecretsStage {

    private static final Logger LOG = Logger.getLogger(SecretsInstaller.class);
    private static final Duration UNIT_TIMEOUT = Duration.ofMinutes(5);

    private final SecretsSettings settings;
    private final Supplier<SecretsKeys> keys;
    private final SecretsLedger ledger;
    private final LinkConfinement confinement;
    private final SecretsSwitch root;
    private final Settlement settlement;

    /**
     * {@code keys} is asked once per cycle, so rotated key files are picked up without a restart; {@code store}
     * remembers owed unit restarts, the links the agent created and the generation that should be live;
     * {@code confinement} says where links may not go.
     */
    public SecretsInstaller(SecretsSettings settings, Supplier<SecretsKeys> keys, CommandRunner runner,
            StateStore store, LinkConfinement confinement) {
        this.settings = settings;
        this.keys = keys;
        this.ledger = new SecretsLedger(store);
        this.confinement = confinement;
        this.root = new SecretsSwitch(settings.root(), ledger);
        this.settlement = new Settlement(root, ledger, new UnitRestarter(runner, settings.restartCommand(), UNIT_TIMEOUT),
                settings.keepGenerations());
    }

    /** Whether a successful cycle left a generation live that is no longer on disk (the tmpfs after a reboot). */
    @Override
    public boolean reinstallNeeded() {
        Optional<String> expected = ledger.expected();
        if (expected.isEmpty()) {
            return false;
        }
        try {
            return !root.liveFingerprint().equals(expected);
        } catch (SecretsException e) {
            // a broken `current` link: a cycle says what is wrong with it
            return true;
        }
    }

    @Override
    public String switchBackTo(String replaced) {
        Optional<Integer> live = root.current();
        Optional<Integer> back = replaced.equals("none") ? Optional.empty() : Optional.of(Integer.parseInt(replaced));
        if (live.isEmpty() || live.equals(back)) {
            return "";
        }
        if (back.isPresent() && Files.isDirectory(root.directory(back.get()))) {
            root.switchTo(back.get());
        } else {
            root.clear();
        }
        for (int g : root.generations()) {
            if (back.isEmpty() || g > back.get()) {
                root.delete(g);
                ledger.forgive(g);
            }
        }
        return back.map(b -> "secrets switched back to generation " + b).orElse("secrets removed");
    }

    /** The commit's manifest, or empty when it has none. */
    public Optional<SecretsManifest> manifest(CommitFiles files) {
        return files.read(settings.manifest()).map(bytes -> SecretsManifest.parse(settings.manifest(), bytes));
    }

    @Override
    public SecretsUpdate prepare(CommitFiles files) {
        List<String> leftovers = root.removeLeftovers();
        // a generation that never went live owes no restarts
        leftovers.forEach(name -> ledger.forgive(Integer.parseInt(name.replaceAll("[^0-9]", ""))));
        if (!leftovers.isEmpty()) {
            LOG.infof("secrets: removed what an interrupted cycle left in %s: %s", settings.root(),
                    String.join(", ", leftovers));
        }
        Optional<byte[]> text = files.read(settings.manifest());
        if (text.isEmpty()) {
            return new SettledGeneration("no " + settings.manifest() + " in the commit; secrets left as they are",
                    settlement, false);
        }
        SecretsManifest manifest = SecretsManifest.parse(settings.manifest(), text.get());
        Opened opened = open(manifest, files, null);
        try {
            GenerationWriter writer = new GenerationWriter(opened.owners.directories());
            writer.directory(settings.root());
            Optional<Integer> previous = root.current();
            List<ManifestItem> changed = changed(opened, root);
            if (previous.isPresent() && changed.isEmpty() && sameLayout(opened, root, previous.get())) {
                root.restoreLinks(previous.get());
                return new SettledGeneration("generation " + previous.get() + " already holds these "
                        + opened.values.size() + " files", settlement, true);
            }
            int number = root.next();
            Path dir = root.partial(number);
            try {
                writer.directory(dir);
                for (ManifestItem item : manifest.items()) {
                    writer.file(dir, item.relativePath(), opened.values.get(item).bytes(), opened.access.get(item),
                            item.label());
                    LOG.debugf("secrets: wrote %s as %s/%s (%s %s:%s)%s", item.label(), number, item.relativePath(),
                            item.access().modeText(), opened.access.get(item).owner().getName(),
                            opened.access.get(item).group().getName(), changed.contains(item) ? ", changed" : "");
                }
                writer.links(dir, links(manifest));
                writer.fingerprint(dir, sha256Hex(text.get()));
                root.complete(number);
            } catch (RuntimeException e) {
                root.removeLeftovers();
                throw e;
            }
            UnitChanges units = UnitChanges.of(changed);
            String summary = "generation " + number + " prepared: " + opened.values.size() + " files"
                    + (changed.isEmpty() ? ", none changed" : ", new or changed: "
                    + String.join(", ", changed.stream().map(ManifestItem::relativePath).toList()))
                    + (units.isEmpty() ? "" : " (" + units.describe() + " after activation)");
            return new PreparedGeneration(root, number, previous, units, summary, ledger, settlement);
        } finally {
            opened.wipe();
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SecretsCheck check(CommitFiles files) {
        Optional<SecretsManifest> found = manifest(files);
        if (found.isEmpty()) {
            return SecretsCheck.noManifest(settings.manifest());
        }
        List<SecretsCheck.Item> report = new ArrayList<>();
        Opened opened = open(found.get(), files, report);
        try {
            List<ManifestItem> changed = changed(opened, root);
            return new SecretsCheck(settings.manifest(), true, report, UnitChanges.of(changed));
        } finally {
            opened.wipe();
        }
    }

    /** Values and resolved owners of every item; with a report, failures are recorded there instead of thrown. */
    private Opened open(SecretsManifest manifest, CommitFiles files, List<SecretsCheck.Item> report) {
        Opened opened = new Opened();
        SourceDecryptor decryptor = new SourceDecryptor(files, keys.get());
        Map<String, Plaintext> byName = new LinkedHashMap<>();
        try {
            for (ManifestItem item : manifest.items()) {
                String source = item instanceof ManifestEntry e ? e.source().describe()
                        : ((ManifestTemplate) item).file().map(f -> "template file " + f).orElse("inline template");
                try {
                    opened.access.put(item, opened.owners.resolve(item.access()));
                    checkLink(item);
                    Plaintext value = item instanceof ManifestEntry e
                            ? decryptor.open(e.source())
                            : render((ManifestTemplate) item, decryptor, byName);
                    opened.values.put(item, value);
                    if (item instanceof ManifestEntry e) {
                        byName.put(e.name(), value);
                    }
                    if (report != null) {
                        report.add(new SecretsCheck.Item(item.label(), source, Optional.empty()));
                    }
                } catch (GitopsException e) {
                    String message = manifest.where(item) + ": " + item.label() + ": " + e.getMessage();
                    if (report == null) {
                        throw new SecretsException(message, e);
                    }
                    opened.access.remove(item);
                    report.add(new SecretsCheck.Item(item.label(), source, Optional.of(message)));
                }
            }
        } catch (RuntimeException e) {
            opened.wipe();
            throw e;
        }
        return opened;
    }

    private static Plaintext render(ManifestTemplate template, SourceDecryptor decryptor, Map<String, Plaintext> secrets) {
        String body = template.content().orElseGet(() -> decryptor.text(template.file().orElseThrow()));
        return TemplateRenderer.render(body, secrets, template.label());
    }

    /**
     * A link stays out of the agent's own directories and {@code /nix}, and may replace only a link the agent
     * created (remembered in the state database, or listed by the live generation and pointing into it).
     */
    private void checkLink(ManifestItem item) {
        if (item.path().isEmpty()) {
            return;
        }
        Path link = item.path().get();
        confinement.check(link);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isSymbolicLink(link)) {
            throw new SecretsException("path " + link + " exists and is not a symlink; refusing to replace it");
        }
        if (!ledger.owns(link) && !liveLinks().containsKey(link)) {
            throw new SecretsException("path " + link + " is a symlink gitops-sync did not create; refusing to"
                    + " replace it (remove it first if the secret should take its place)");
        }
    }

    /** The links the live generation made, when they still point into the secrets root. */
    private Map<Path, String> liveLinks() {
        Map<Path, String> out = new LinkedHashMap<>();
        root.current().filter(g -> Files.isDirectory(root.directory(g))).ifPresent(g -> root.links(g).forEach(
                (link, relative) -> {
                    try {
                        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(root.linkTarget(relative))) {
                            out.put(link, relative);
                        }
                    } catch (IOException e) {
                        // unreadable: not counted as ours
                    }
                }));
        return out;
    }

    /** Items whose file is new or differs from the live generation's. */
    private static List<ManifestItem> changed(Opened opened, SecretsSwitch root) {
        List<ManifestItem> out = new ArrayList<>();
        for (Map.Entry<ManifestItem, Plaintext> e : opened.values.entrySet()) {
            Path live = root.currentLink().resolve(e.getKey().relativePath());
            try {
                if (!Files.isRegularFile(live) || !e.getValue().sameAs(Files.readAllBytes(live))) {
                    out.add(e.getKey());
                }
            } catch (IOException ex) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Whether the live generation has exactly these files, owners, modes and links. */
    private boolean sameLayout(Opened opened, SecretsSwitch root, int live) {
        Path dir = root.directory(live);
        Set<String> expected = new HashSet<>();
        try {
            for (Map.Entry<ManifestItem, ResolvedAccess> e : opened.access.entrySet()) {
                expected.add(e.getKey().relativePath());
                PosixFileAttributes attrs = Files.readAttributes(dir.resolve(e.getKey().relativePath()),
                        PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attrs.owner().equals(e.getValue().owner()) || !attrs.group().equals(e.getValue().group())
                        || !attrs.permissions().equals(e.getValue().permissions())) {
                    return false;
                }
            }
            Set<String> present = new HashSet<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> dir.relativize(p).toString())
                        .filter(p -> !p.equals(SecretName.LINKS_FILE) && !p.equals(SecretName.FINGERPRINT_FILE))
                        .forEach(present::add);
            }
            Map<Path, String> links = new LinkedHashMap<>();
            opened.values.keySet().forEach(item -> item.path().ifPresent(p -> links.put(p, item.relativePath())));
            return present.equals(expected) && root.links(live).equals(links);
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<Path, String> links(SecretsManifest manifest) {
        Map<Path, String> out = new LinkedHashMap<>();
        for (ManifestItem item : manifest.items()) {
            item.path().ifPresent(p -> out.put(p, item.relativePath()));
        }
        return out;
    }

    /** What {@link #open} produced: the plaintexts (wiped when done) and resolved owners, per item. */
    private static final class Opened {
        // looked up afresh every cycle: a user created (or recreated with a new uid) since must count
        final Owners owners = new Owners();
        final Map<ManifestItem, Plaintext> values = new LinkedHashMap<>();
        final Map<ManifestItem, ResolvedAccess> access = new LinkedHashMap<>();

        void wipe() {
            values.values().forEach(Plaintext::wipe);
        }
    }
}
