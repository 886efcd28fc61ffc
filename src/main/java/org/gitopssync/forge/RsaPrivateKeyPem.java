package org.gitopssync.forge;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.gitopssync.config.Credential;

/** Reads an RSA private key from PEM: PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY", what GitHub hands out). */
final class RsaPrivateKeyPem {

    private RsaPrivateKeyPem() {
    }

    static PrivateKey parse(Credential pem) {
        String text = pem.reveal();
        boolean pkcs1 = text.contains("-----BEGIN RSA PRIVATE KEY-----");
        String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int begin = text.indexOf("-----BEGIN " + label + "-----");
        int end = text.indexOf("-----END " + label + "-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no PEM private key in " + pem.origin());
        }
        String base64 = text.substring(begin + label.length() + 16, end).replaceAll("\\s+", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            if (pkcs1) {
                // The JDK only reads PKCS#8; wrap the PKCS#1 structure in a PKCS#8 envelope.
                der = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(der)).getEncoded();
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            // The cause's message could quote key material; keep only its type.
            throw new IllegalArgumentException("unreadable RSA private key in " + pem.origin()
                    + " (not a PKCS#1 or PKCS#8 RSA key, or damaged)");
        }
    }
}
