package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.config.Credential;
import org.gitopssync.fleet.NixKeys;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.fleet.ReleaseSigner;
import org.gitopssync.state.CycleOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A builder and a host following the same branch for real: the builder publishes signed records, the host realises
 * the released system from a signed {@code file://} cache and activates it without evaluating or building, and
 * refuses what fails a check.
 */
class FleetHostTest {

    @TempDir
    Path tmp;

    FleetTestbed fleet;

    @BeforeEach
    void setUp() {
        fleet = new FleetTestbed(tmp);
    }

    private static boolean evaluatedOrBuilt(List<List<String>> commands) {
        return commands.stream().anyMatch(c -> c.contains("eval") || c.contains("build") || c.get(0).endsWith("nix-build")
                || c.get(0).endsWith("nix-eval-jobs"));
    }

    private ReleaseRecord stored(String commit) throws IOException {
        return ReleaseRecord.parse("r", Files.readString(fleet.record("demo", commit)));
    }

    private void activations(int n) throws IOException {
        Path log = fleet.repo.root().resolve("activations.log");
        assertThat(Files.exists(log) ? Files.readAllLines(log) : List.of()).hasSize(n);
    }

    @Test
    void theBuilderPublishesASignedRecordAndTheHostDeploysItFromTheCacheWithoutBuilding() throws IOException {
        fleet.hostFleet(fleet.trustedBuilder() + "\n" + fleet.trustedCache());
        String commit = fleet.repo.head();

        CycleReport built = fleet.builderCycle();

        assertThat(built.outcome()).as(built.summary()).isEqualTo(CycleOutcome.BUILT);
        assertThat(built.summary()).contains("released 1 host: demo");
        activations(0);
        ReleaseRecord record = stored(commit);
        assertThat(record.builder()).isEqualTo("builder-1");
        assertThat(record.signature()).startsWith("builder-1:");
        assertThat(Files.readString(fleet.releases.resolve("demo/latest"))).isEqualTo(commit + "\n");
        FleetTestbed.forget(record.system());

        CycleReport deployed = fleet.hostCycle();

        assertThat(deployed.outcome()).as(deployed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(deployed.outPath()).isEqualTo(record.system());
        assertThat(fleet.motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        assertThat(evaluatedOrBuilt(fleet.hostRunner.commands())).as(fleet.hostRunner.commands().toString()).isFalse();
        List<String> realise = fleet.hostRunner.commands().stream().filter(c -> c.contains("--realise")).findFirst()
                .orElseThrow();
        assertThat(String.join(" ", realise)).contains("require-sigs true", "substituters file://" + fleet.cache,
                "trusted-public-keys " + fleet.cacheKey.publicKey());
        assertThat(fleet.hostCycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    @Test
    void anUnsignedRecordFailsTheCycleNamingTheRecordAndNothingChanges() throws IOException {
        fleet.hostFleet(fleet.trustedBuilder() + "\n" + fleet.trustedCache());
        String commit = fleet.repo.head();
        fleet.builderCycle();
        ReleaseRecord record = stored(commit);
        Files.writeString(fleet.record("demo", commit), record.signedWith(null).toJson());

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).isEqualTo("release record " + fleet.record("demo", commit)
                + " refused (signature): the record is unsigned");
        activations(0);
        assertThat(fleet.hostCycle().outcome()).as("looked at again on the next poll").isEqualTo(CycleOutcome.FAILED);
    }

    @Test
    void aRecordSignedByAKeyTheHostDoesNotTrustIsRefused() throws IOException {
        NixKeys.KeyPair other = NixKeys.generate(tmp.resolve("other"), "builder-9");
        fleet.hostFleet("trusted_keys = [\"" + other.publicKey() + "\"]\n" + fleet.trustedCache());
        fleet.builderCycle();

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("refused (trusted key): signed by \"builder-1\", which is not in"
                + " fleet.trusted_keys [builder-9]");
        activations(0);
    }

    @Test
    void aRecordForAnotherHostStoredUnderThisHostIsRefused() throws IOException {
        fleet.hostFleet(fleet.trustedBuilder() + "\n" + fleet.trustedCache());
        String commit = fleet.repo.head();
        fleet.builderCycle();
        ReleaseRecord record = stored(commit);
        ReleaseSigner signer = ReleaseSigner.of(Credential.of(Files.readString(fleet.builderKey.secretFile()), "f"), "k");
        ReleaseRecord other = signer.sign(new ReleaseRecord("web-2", commit, record.system(), record.narHash(),
                record.closureSize(), record.builtAt(), record.builder(), null));
        Files.writeString(fleet.record("demo", commit), other.toJson());

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("refused (host): the record is for host web-2, this host is demo");
        activations(0);
    }

    @Test
    void aSystemThatNoTrustedCacheKeySignedIsRefusedByNix() throws IOException {
        NixKeys.KeyPair otherCache = NixKeys.generate(tmp.resolve("other"), "cache-9");
        fleet.hostFleet(fleet.trustedBuilder() + "\ncache_keys = [\"" + otherCache.publicKey() + "\"]");
        String commit = fleet.repo.head();
        fleet.builderCycle();
        String system = stored(commit).system();
        FleetTestbed.forget(system);

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.BUILD);
        assertThat(report.summary()).startsWith("release record " + fleet.record("demo", commit) + " refused (cache): "
                + system + " is not available, signed by a trusted key, from file://" + fleet.cache);
        activations(0);
        assertThat(NixKeys.run(null, "nix", "path-info", "--json", system)).contains("\"valid\":false");
    }

    @Test
    void withoutARecordTheHostWaitsThenKeepsWaitingUnderFallbackWait() {
        fleet.hostFleet(fleet.trustedBuilder() + "\nwait = \"30m\"\nfallback = \"wait\"");

        CycleReport first = fleet.hostCycle();
        fleet.clock.advance(Duration.ofMinutes(31));
        CycleReport later = fleet.hostCycle();

        assertThat(first.outcome()).isEqualTo(CycleOutcome.WAITING);
        assertThat(first.outcome().isFailure()).isFalse();
        assertThat(first.summary()).startsWith("waiting for builder: no release record of demo at "
                + fleet.repo.head().substring(0, 12));
        assertThat(later.outcome()).isEqualTo(CycleOutcome.WAITING);
        assertThat(later.summary()).contains("(fleet.fallback = \"wait\")");
        assertThat(evaluatedOrBuilt(fleet.hostRunner.commands())).isFalse();
        assertThat(fleet.motd()).isEmpty();
    }

    @Test
    void withoutARecordTheHostBuildsItselfOnceTheWaitIsOverUnderFallbackBuild() {
        fleet.hostFleet(fleet.trustedBuilder() + "\nwait = \"30m\"\nfallback = \"build\"");

        assertThat(fleet.hostCycle().outcome()).isEqualTo(CycleOutcome.WAITING);
        fleet.clock.advance(Duration.ofMinutes(29));
        assertThat(fleet.hostCycle().outcome()).as("still within the wait").isEqualTo(CycleOutcome.WAITING);
        assertThat(evaluatedOrBuilt(fleet.hostRunner.commands())).isFalse();
        fleet.clock.advance(Duration.ofMinutes(2));

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(evaluatedOrBuilt(fleet.hostRunner.commands())).isTrue();
        assertThat(fleet.motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
    }

    @Test
    void whenTheHeadHasNoRecordTheNewestReleasedCommitSinceTheDeployedOneIsDeployed() throws IOException {
        fleet.hostFleet(fleet.trustedBuilder() + "\n" + fleet.trustedCache());
        fleet.builderCycle();
        assertThat(fleet.hostCycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        String second = fleet.repo.commitMotd("Second edition.");
        fleet.builderCycle();
        String third = fleet.repo.commitMotd("Third edition.");
        fleet.builderCycle();
        // the record of the third never came; the fourth is not built yet
        Files.delete(fleet.record("demo", third));
        fleet.repo.commitMotd("Fourth edition.");
        assertThat(fleet.record("demo", second)).exists();

        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(second);
        assertThat(fleet.motd()).isEqualTo("Second edition.\n");
        CycleReport next = fleet.hostCycle();
        assertThat(next.outcome()).as("the head still waits for its record").isEqualTo(CycleOutcome.WAITING);
        assertThat(fleet.motd()).isEqualTo("Second edition.\n");
    }

    @Test
    void afterAResetOntoARewrittenBranchTheHostDeploysItsReleasedHead() throws IOException {
        fleet.hostFleet(fleet.trustedBuilder() + "\n" + fleet.trustedCache());
        fleet.builderCycle();
        assertThat(fleet.hostCycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        fleet.repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Rewritten history.");
        GitRewrite.amend(fleet.repo);
        String rewritten = fleet.repo.head();
        fleet.reset(fleet.builder, rewritten);
        assertThat(fleet.builderCycle().outcome()).isEqualTo(CycleOutcome.BUILT);
        assertThat(fleet.hostCycle().outcome()).as("refused until reset").isEqualTo(CycleOutcome.REFUSED);

        fleet.reset(fleet.host, rewritten);
        CycleReport report = fleet.hostCycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(rewritten);
        assertThat(fleet.motd()).isEqualTo("Rewritten history.\n");
    }
}
