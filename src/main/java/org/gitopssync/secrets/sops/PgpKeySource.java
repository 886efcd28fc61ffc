package org.gitopssync.secrets.sops;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.gitopssync.secrets.SecretsException;

/** Unwraps {@code pgp} entries (armored OpenPGP messages) with unprotected OpenPGP secret keys, without gpg. */
public final class PgpKeySource implements DataKeySource {

    /** Created on the first pgp entry: registering BouncyCastle's algorithms costs a one-shot command ~0.3 s. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private final List<PGPSecretKeyRing> rings;

    private PgpKeySource(List<PGPSecretKeyRing> rings) {
        this.rings = List.copyOf(rings);
    }

    /** Reads armored or binary secret key files ({@code gpg --export-secret-keys}), several keys per file allowed. */
    public static PgpKeySource readKeyFiles(List<Path> files) {
        List<PGPSecretKeyRing> rings = new ArrayList<>();
        for (Path file : files) {
            try {
                rings.addAll(parse(Files.readAllBytes(file), file.toString()));
            } catch (IOException e) {
                throw new SecretsException("cannot read PGP key file " + file + ": " + e.getMessage(), e);
            }
        }
        return new PgpKeySource(rings);
    }

    /** Secret keys given as text; {@code origin} names them in messages. */
    public static PgpKeySource fromArmored(String armoredSecretKeys, String origin) {
        return new PgpKeySource(parse(armoredSecretKeys.getBytes(StandardCharsets.US_ASCII), origin));
    }

    private static List<PGPSecretKeyRing> parse(byte[] content, String origin) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(content))) {
            List<PGPSecretKeyRing> rings = new ArrayList<>();
            new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator()).forEach(rings::add);
            if (rings.isEmpty()) {
                throw new SecretsException(origin + ": no OpenPGP secret key found");
            }
            return rings;
        } catch (IOException | PGPException e) {
            throw new SecretsException(origin + ": not an OpenPGP secret key file (unreadable or damaged key data)");
        }
    }

    @Override
    public boolean handles(SopsMasterKey key) {
        return "pgp".equals(key.type());
    }

    @Override
    public byte[] unwrap(SopsMasterKey key) {
        try (InputStream in = PGPUtil.getDecoderStream(
                new ByteArrayInputStream(key.encryptedKey().getBytes(StandardCharsets.US_ASCII)))) {
            PGPEncryptedDataList list = encryptedDataList(new JcaPGPObjectFactory(in));
            for (Object item : list) {
                if (item instanceof PGPPublicKeyEncryptedData data) {
                    PGPSecretKey secretKey = secretKeyFor(data.getKeyID());
                    if (secretKey != null) {
                        return decrypt(data, privateKey(secretKey));
                    }
                }
            }
            throw new SecretsException("no matching secret key");
        } catch (IOException | PGPException e) {
            throw new SecretsException("cannot decrypt the PGP message (damaged message or key)");
        }
    }

    private static PGPEncryptedDataList encryptedDataList(JcaPGPObjectFactory factory) throws IOException {
        for (Object object = factory.nextObject(); object != null; object = factory.nextObject()) {
            if (object instanceof PGPEncryptedDataList list) {
                return list;
            }
        }
        throw new SecretsException("not an encrypted PGP message");
    }

    private PGPSecretKey secretKeyFor(long keyId) {
        for (PGPSecretKeyRing ring : rings) {
            Iterator<PGPSecretKey> keys = ring.getSecretKeys();
            while (keys.hasNext()) {
                PGPSecretKey key = keys.next();
                // Key ID 0 marks an anonymous recipient: any of our keys may open it.
                if ((keyId == 0 || key.getKeyID() == keyId) && !key.isPrivateKeyEmpty()) {
                    return key;
                }
            }
        }
        return null;
    }

    private static PGPPrivateKey privateKey(PGPSecretKey key) throws PGPException {
        if (key.getKeyEncryptionAlgorithm() != 0) {
            throw new SecretsException("secret key " + Long.toHexString(key.getKeyID()).toUpperCase()
                    + " is passphrase-protected (not supported)");
        }
        return key.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(Bc.PROVIDER).build(new char[0]));
    }

    private static byte[] decrypt(PGPPublicKeyEncryptedData data, PGPPrivateKey privateKey) throws IOException, PGPException {
        InputStream clear = data.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder().setProvider(Bc.PROVIDER)
                .build(privateKey));
        Object message = new JcaPGPObjectFactory(clear).nextObject();
        if (message instanceof PGPCompressedData compressed) {
            message = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
        }
        if (!(message instanceof PGPLiteralData literal)) {
            throw new SecretsException("the PGP message holds no literal data");
        }
        byte[] plaintext = literal.getInputStream().readAllBytes();
        if (data.isIntegrityProtected() && !data.verify()) {
            throw new SecretsException("PGP message integrity check failed (tampered)");
        }
        return plaintext;
    }

    @Override
    public String toString() {
        return "PgpKeySource[" + rings.size() + " key rings]";
    }
}
