package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.testing.SigningKeys.GpgKey;
import org.gitopssync.testing.SigningKeys.SshKey;
import org.gitopssync.testing.SigningKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [repository.signatures]}: commits signed with the real git CLI (SSH keys from ssh-keygen, OpenPGP keys
 * from gpg) are deployed only when signed by a configured key; anything else is refused before secrets or nix.
 */
class SignedCommitsTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;
    SshKey operator;
    SshKey stranger;
    GpgKey gpg;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
        operator = SigningKeys.ssh(tmp.resolve("keys"), "operator");
        stranger = SigningKeys.ssh(tmp.resolve("keys"), "stranger");
        Files.writeString(tmp.resolve("allowed_signers"), operator.allowedSignersLine());
    }

    @AfterEach
    void stopAgents() {
        if (gpg != null) {
            gpg.stopAgent();
        }
    }

    private void requireSsh() {
        fixture.extra("[repository.signatures]\nssh_allowed_signers = "
                + AgentFixture.quote(tmp.resolve("allowed_signers").toString()) + "\n");
    }

    private CycleReport cycle() {
        try (Agent agent = fixture.open(runner)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private void assertUntouched(CycleReport report) throws IOException {
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(report.outcome().isFailure()).as("sync --once exits 1").isTrue();
        assertThat(runner.ran("nix")).as("nothing evaluated").isFalse();
        assertThat(runner.ran("nix-env")).as("no profile touched").isFalse();
        assertThat(repo.root().resolve("activations.log")).doesNotExist();
        assertThat(generations()).as("no secrets decrypted").isZero();
    }

    private long generations() throws IOException {
        if (!Files.isDirectory(fixture.secretsRoot())) {
            return 0;
        }
        try (var entries = Files.list(fixture.secretsRoot())) {
            return entries.count();
        }
    }

    @Test
    void unsignedHeadIsRefusedNamingTheCommitBeforeSecretsOrEvaluation() throws IOException {
        requireSsh();
        String head = repo.head();

        CycleReport report = cycle();

        assertUntouched(report);
        assertThat(report.summary()).contains(head.substring(0, 12), "unsigned", "repository.signatures");
    }

    @Test
    void headSignedByAKeyNotAllowedIsRefusedNamingTheKey() throws IOException {
        requireSsh();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Signed by a stranger.");
        String head = SigningKeys.commitSignedSsh(repo, stranger, "stranger's change");

        CycleReport report = cycle();

        assertUntouched(report);
        assertThat(report.summary()).contains(head.substring(0, 12), "signed by SSH key SHA256:",
                "a key not in " + tmp.resolve("allowed_signers"))
                .doesNotContain("unsigned");
    }

    @Test
    void headSignedByAnAllowedSshKeyIsDeployed() throws IOException {
        requireSsh();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Signed by the operator.");
        String head = SigningKeys.commitSignedSsh(repo, operator, "operator's change");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(head);
        assertThat(Files.readString(repo.root().resolve("etc/motd"))).isEqualTo("Signed by the operator.\n");
    }

    @Test
    void aDeployedSignedCommitDoesNotExemptALaterUnsignedHeadNorDoesReset() throws IOException {
        requireSsh();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Signed by the operator.");
        SigningKeys.commitSignedSsh(repo, operator, "operator's change");
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        String unsigned = repo.commitMotd("sneaked in");

        CycleReport report = cycle();
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(report.summary()).contains(unsigned.substring(0, 12), "unsigned");

        try (Agent agent = fixture.open(runner)) {
            agent.reconciler().reset(unsigned);
        }
        CycleReport afterReset = cycle();
        assertThat(afterReset.outcome()).as("reset accepts history, not a missing signature")
                .isEqualTo(CycleOutcome.REFUSED);
        assertThat(Files.readString(repo.root().resolve("etc/motd"))).isEqualTo("Signed by the operator.\n");
    }

    @Test
    void headSignedWithAConfiguredGpgKeyIsDeployedAndAnotherGpgKeyIsRefused() throws IOException {
        gpg = SigningKeys.gpg(tmp.resolve("gnupg"), "Ops <ops@example.test>");
        GpgKey other = SigningKeys.gpg(tmp.resolve("gnupg-other"), "Other <other@example.test>");
        try {
            fixture.extra("[repository.signatures]\ngpg_public_keys = ["
                    + AgentFixture.quote(gpg.armoredPublicKey().toString()) + "]\n");
            repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Signed with gpg.");
            String signed = SigningKeys.commitSignedGpg(repo, gpg, "ops change");

            CycleReport report = cycle();
            assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
            assertThat(report.commit()).isEqualTo(signed);

            repo.edit("flake.nix", "Signed with gpg.", "Signed with another key.");
            String wrong = SigningKeys.commitSignedGpg(repo, other, "other change");
            CycleReport refused = cycle();
            assertThat(refused.outcome()).as(refused.summary()).isEqualTo(CycleOutcome.REFUSED);
            assertThat(refused.summary()).contains(wrong.substring(0, 12),
                    other.fingerprint().substring(other.fingerprint().length() - 16), "gpg_public_keys");
            assertThat(Files.readString(repo.root().resolve("etc/motd"))).isEqualTo("Signed with gpg.\n");
        } finally {
            other.stopAgent();
        }
    }

    @Test
    void anSshSignedHeadIsRefusedWhenOnlyGpgKeysAreConfigured() throws IOException {
        gpg = SigningKeys.gpg(tmp.resolve("gnupg"), "Ops <ops@example.test>");
        fixture.extra("[repository.signatures]\ngpg_public_keys = ["
                + AgentFixture.quote(gpg.armoredPublicKey().toString()) + "]\n");
        SigningKeys.commitSignedSsh(repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "ssh"), operator,
                "ssh-signed");

        CycleReport report = cycle();

        assertUntouched(report);
        assertThat(report.summary()).contains("signed by an SSH key", "ssh_allowed_signers is not set");
    }
}
