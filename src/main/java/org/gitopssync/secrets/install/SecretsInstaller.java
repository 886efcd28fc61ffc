package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.secrets.SecretsException;
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
    private final CommandRunner runner;
    private final InstalledMarker marker;

    /**
     * {@code keys} is asked once per cycle, so rotated key files are picked up without a restart; {@code marker}
     * is a file on persistent storage remembering that the deployed commit has secrets (empty: no memory).
     */
    public SecretsInstaller(SecretsSettings settings, Supplier<SecretsKeys> keys, CommandRunner runner,
            Optional<Path> marker) {
        this.settings = settings;
        this.keys = keys;
        this.runner = runner;
        this.marker = new InstalledMarker(marker);
    }

    public SecretsInstaller(SecretsSettings settings, Supplier<SecretsKeys> keys, CommandRunner runner) {
        this(settings, keys, runner, Optional.empty());
    }

    @Override
    public boolean reinstallNeeded() {
        return marker.present() && !Files.exists(settings.root().resolve(SecretsSwitch.CURRENT));
    }

    /** The commit's manifest, or empty when it has none. */
    public Optional<SecretsManifest> manifest(CommitFiles files) {
        return files.read(settings.manifest()).map(bytes -> SecretsManifest.parse(settings.manifest(), bytes));
    }

    @Override
    public SecretsUpdate prepare(CommitFiles files) {
        Optional<SecretsManifest> found = manifest(files);
        if (found.isEmpty()) {
            marker.clear();
            return SecretsUpdate.none("no " + settings.manifest() + " in the commit; secrets left as they are");
        }
        SecretsManifest manifest = found.get();
        Opened opened = open(manifest, files, null);
        try {
            SecretsSwitch root = new SecretsSwitch(settings.root());
            GenerationWriter writer = new GenerationWriter(opened.owners.directories());
            writer.directory(settings.root());
            Optional<Integer> previous = root.current();
            List<ManifestItem> changed = changed(opened, root);
            if (previous.isPresent() && changed.isEmpty() && sameLayout(opened, root, previous.get())) {
                return SecretsUpdate.none("generation " + previous.get() + " already holds these "
                        + opened.values.size() + " files");
            }
            int number = root.next();
            Path dir = root.directory(number);
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
            } catch (RuntimeException e) {
                root.delete(number);
                throw e;
            }
            UnitChanges units = UnitChanges.of(changed);
            String summary = "generation " + number + " prepared: " + opened.values.size() + " files"
                    + (changed.isEmpty() ? ", none changed" : ", new or changed: "
                    + String.join(", ", changed.stream().map(ManifestItem::relativePath).toList()))
                    + (units.isEmpty() ? "" : " (" + units.describe() + " after activation)");
            return new PreparedGeneration(root, number, previous, units, summary,
                    new UnitRestarter(runner, settings.restartCommand(), UNIT_TIMEOUT), settings.keepGenerations(),
                    marker::set);
        } finally {
            opened.wipe();
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
            List<ManifestItem> changed = changed(opened, new SecretsSwitch(settings.root()));
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
                } catch (SecretsException e) {
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

    /** A link may replace an older link, never a real file or directory. */
    private static void checkLink(ManifestItem item) {
        if (item.path().isPresent()) {
            Path link = item.path().get();
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                throw new SecretsException("path " + link + " exists and is not a symlink; refusing to replace it");
            }
        }
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
                        .filter(p -> !p.equals(SecretName.LINKS_FILE))
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
