package org.gitopssync.secrets.sops;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gitopssync.secrets.SecretsException;

/**
 * Recombines a data key from sops key-group shares: each share is the key's bytes evaluated on random
 * GF(2^8) polynomials (reduction polynomial 0x11B) followed by one byte holding the x coordinate.
 */
final class ShamirSecret {

    private ShamirSecret() {
    }

    static byte[] combine(List<byte[]> shares) {
        if (shares.size() < 2) {
            throw new SecretsException("Shamir recombination needs at least two shares");
        }
        int length = shares.get(0).length;
        if (length < 2 || shares.stream().anyMatch(share -> share.length != length)) {
            throw new SecretsException("Shamir shares must all have the same length (at least 2 bytes)");
        }
        int[] xs = new int[shares.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < shares.size(); i++) {
            xs[i] = shares.get(i)[length - 1] & 0xff;
            if (!seen.add(xs[i])) {
                throw new SecretsException("duplicate Shamir share (same x coordinate " + xs[i] + ")");
            }
        }
        byte[] secret = new byte[length - 1];
        int[] ys = new int[shares.size()];
        for (int index = 0; index < secret.length; index++) {
            for (int i = 0; i < shares.size(); i++) {
                ys[i] = shares.get(i)[index] & 0xff;
            }
            secret[index] = (byte) interpolateAtZero(xs, ys);
        }
        return secret;
    }

    /** Lagrange interpolation at x = 0; addition and subtraction are both XOR in GF(2^8). */
    private static int interpolateAtZero(int[] xs, int[] ys) {
        int result = 0;
        for (int i = 0; i < xs.length; i++) {
            int basis = 1;
            for (int j = 0; j < xs.length; j++) {
                if (i != j) {
                    basis = multiply(basis, divide(xs[j], xs[i] ^ xs[j]));
                }
            }
            result ^= multiply(ys[i], basis);
        }
        return result;
    }

    static int multiply(int a, int b) {
        int product = 0;
        int x = a;
        int y = b;
        while (y != 0) {
            if ((y & 1) != 0) {
                product ^= x;
            }
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= 0x11b;
            }
            y >>= 1;
        }
        return product;
    }

    static int divide(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return multiply(a, inverse(b));
    }

    private static int inverse(int a) {
        // a^254 = a^-1 in GF(2^8).
        int result = 1;
        int base = a;
        int exponent = 254;
        while (exponent > 0) {
            if ((exponent & 1) != 0) {
                result = multiply(result, base);
            }
            base = multiply(base, base);
            exponent >>= 1;
        }
        return result;
    }
}
