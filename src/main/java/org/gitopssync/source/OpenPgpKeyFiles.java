package org.gitopssync.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Verifies an OpenPGP commit signature against the public keys of {@code repository.signatures.gpg_public_keys},
 * with BouncyCastle's OpenPGP verification.
 *
 * <p>Why not JGit's {@code org.eclipse.jgit.gpg.bc} verifier: in JGit 7.4 it finds keys only in the GnuPG home
 * of the process (resolved once per JVM from {@code GNUPGHOME} or {@code ~/.gnupg}), so it cannot be pointed at
 * these files, and it would trust any key that happens to be in root's keyring. The cryptography is still the
 * library's: this class only picks the key by the signature's issuer and hands both to BouncyCastle.
 */
final class OpenPgpKeyFiles {

    /** Created on the first verification: registering BouncyCastle's algorithms costs a one-shot command ~0.3 s. */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    private final List<Path> files;

    OpenPgpKeyFiles(List<Path> files) {
        this.files = List.copyOf(files);
    }

    SignatureVerdict verify(byte[] data, byte[] armoredSignature) throws IOException {
        PGPSignature signature;
        try {
            signature = parse(armoredSignature);
        } catch (IOException | PGPException | RuntimeException e) {
            return new SignatureVerdict(false, "an unreadable OpenPGP signature", "it cannot be parsed");
        }
        String keyId = String.format(Locale.ROOT, "%016X", signature.getKeyID());
        if (files.isEmpty()) {
            return new SignatureVerdict(false, "OpenPGP key " + keyId,
                    "repository.signatures.gpg_public_keys is not set");
        }
        PGPPublicKeyRing ring = null;
        for (Path file : files) {
            ring = find(file, signature.getKeyID());
            if (ring != null) {
                break;
            }
        }
        if (ring == null) {
            return new SignatureVerdict(false, "OpenPGP key " + keyId,
                    "not one of repository.signatures.gpg_public_keys");
        }
        PGPPublicKey key = ring.getPublicKey(signature.getKeyID());
        String signer = userId(ring.getPublicKey()).map(u -> u + " (OpenPGP key " + keyId + ")").orElse("OpenPGP key " + keyId);
        boolean valid;
        try {
            signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(Bc.PROVIDER), key);
            signature.update(data);
            valid = signature.verify();
        } catch (PGPException e) {
            valid = false;
        }
        if (!valid) {
            return new SignatureVerdict(false, signer, "the signature does not match the commit");
        }
        if (key.hasRevocation() || ring.getPublicKey().hasRevocation()) {
            return new SignatureVerdict(false, signer, "the key is revoked");
        }
        long validSeconds = key.getValidSeconds();
        if (validSeconds > 0 && signature.getCreationTime().toInstant()
                .isAfter(key.getCreationTime().toInstant().plusSeconds(validSeconds))) {
            return new SignatureVerdict(false, signer, "the key had expired at " + Instant.ofEpochMilli(
                    key.getCreationTime().getTime() + validSeconds * 1000));
        }
        return new SignatureVerdict(true, signer, "valid");
    }

    private static PGPSignature parse(byte[] armored) throws IOException, PGPException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            Object o = new JcaPGPObjectFactory(in).nextObject();
            if (o instanceof PGPCompressedData compressed) {
                o = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (o instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
            throw new PGPException("no signature packet");
        }
    }

    private static PGPPublicKeyRing find(Path file, long keyId) {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            return new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator()).getPublicKeyRing(keyId);
        } catch (IOException | PGPException e) {
            throw new SourceException("cannot read repository.signatures.gpg_public_keys " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : "not an OpenPGP public key file"));
        }
    }

    private static Optional<String> userId(PGPPublicKey key) {
        // a signing subkey carries no user id, its primary key does; the id only helps a human recognise the key
        Iterator<String> ids = key.getUserIDs();
        return ids.hasNext() ? Optional.of(ids.next()) : Optional.empty();
    }
}
