package org.gitopssync.secrets.age;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/** The X25519 function of RFC 7748 on raw 32-byte little-endian strings, backed by the JDK's XDH provider. */
final class X25519 {

    static final int LENGTH = 32;
    private static final byte[] BASE_POINT = basePoint();

    private X25519() {
    }

    /** X25519(scalar, u); the JDK clamps the scalar as RFC 7748 requires. */
    static byte[] multiply(byte[] scalar, byte[] u) throws GeneralSecurityException {
        if (scalar.length != LENGTH || u.length != LENGTH) {
            throw new GeneralSecurityException("X25519 inputs must be 32 bytes");
        }
        KeyFactory factory = KeyFactory.getInstance("XDH");
        PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
        PublicKey publicKey = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(u)));
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(privateKey);
        agreement.doPhase(publicKey, true);
        return agreement.generateSecret();
    }

    static byte[] publicKey(byte[] scalar) throws GeneralSecurityException {
        return multiply(scalar, BASE_POINT);
    }

    private static BigInteger decodeU(byte[] u) {
        byte[] bigEndian = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            bigEndian[i] = u[LENGTH - 1 - i];
        }
        // RFC 7748 5: the most significant bit of the last byte is ignored.
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }

    private static byte[] basePoint() {
        byte[] point = new byte[LENGTH];
        point[0] = 9;
        return point;
    }
}
