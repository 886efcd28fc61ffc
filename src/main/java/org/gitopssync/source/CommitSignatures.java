package org.gitopssync.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;
import org.eclipse.jgit.util.RawParseUtils;
import org.gitopssync.config.SignatureSettings;

/**
 * Decides whether a commit carries a valid signature by one of the keys of {@code [repository.signatures]}:
 * SSH signatures through JGit's own verifier against the allowed-signers file, OpenPGP signatures through
 * {@link OpenPgpKeyFiles} against the configured public keys.
 */
public final class CommitSignatures {

    private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);

    private final SignatureSettings settings;
    private final GpgConfig sshConfig;

    public CommitSignatures(SignatureSettings settings) {
        this.settings = settings;
        Config config = new Config();
        if (settings.sshAllowedSigners() != null) {
            // JGit's SSH verifier reads the allowed signers exactly as git does, from gpg.ssh.allowedSignersFile
            config.setString("gpg", "ssh", "allowedSignersFile", settings.sshAllowedSigners().toAbsolutePath().toString());
        }
        this.sshConfig = new GpgConfig(config);
    }

    /** Whether any signature is required at all. */
    public boolean required() {
        return settings.required();
    }

    /** What the commit's signature says; never throws for a bad or missing signature, only for unreadable keys. */
    public SignatureVerdict verify(Repository repo, RevCommit commit) {
        byte[] raw = commit.getRawBuffer();
        int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
        if (start < 0) {
            return SignatureVerdict.unsigned();
        }
        int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
        byte[] signature = commit.getRawGpgSignature();
        // the signed data is the commit without its gpgsig header (and that header's line feed)
        int headerStart = start - GPGSIG.length - 1;
        int headerEnd = end < raw.length ? end + 1 : end;
        byte[] data = new byte[raw.length - (headerEnd - headerStart)];
        System.arraycopy(raw, 0, data, 0, headerStart);
        System.arraycopy(raw, headerEnd, data, headerStart, raw.length - headerEnd);
        try {
            return switch (SignatureVerifiers.getFormat(signature)) {
                case SSH -> ssh(repo, data, signature);
                // made here, not with the source: loading BouncyCastle's signed jars costs every cycle ~0.3 s
                case OPENPGP -> new OpenPgpKeyFiles(settings.gpgPublicKeys()).verify(data, signature);
                default -> new SignatureVerdict(false, "an X.509 signature", "X.509 signatures are not supported");
            };
        } catch (IOException e) {
            throw new SourceException("cannot verify the signature of " + commit.getName() + ": " + e.getMessage(), e);
        }
    }

    private SignatureVerdict ssh(Repository repo, byte[] data, byte[] signature) throws IOException {
        Path allowed = settings.sshAllowedSigners();
        if (allowed == null) {
            return new SignatureVerdict(false, "an SSH key", "repository.signatures.ssh_allowed_signers is not set");
        }
        if (!Files.isReadable(allowed)) {
            throw new SourceException("cannot read repository.signatures.ssh_allowed_signers " + allowed
                    + ": no such readable file");
        }
        SignatureVerifier verifier = new SshSignatureVerifierFactory().create();
        SignatureVerification v = verifier.verify(repo, sshConfig, data, signature);
        String key = v.keyFingerprint() == null ? "an unreadable SSH signature" : "SSH key " + v.keyFingerprint();
        String signer = v.keyUser() != null ? v.keyUser() + " (" + key + ")" : key;
        String why = v.verified() ? "valid"
                // JGit's wording names git's option; the operator wrote our key
                : v.trustLevel() == SignatureVerifier.TrustLevel.UNKNOWN ? "a key not in " + allowed
                : describe(v.message());
        return new SignatureVerdict(v.verified(), signer, why);
    }

    private static String describe(String message) {
        return message == null || message.isBlank() ? "not valid" : message.strip();
    }
}
