package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** Walks a sops tree in document order: decrypts what the crypt rule says is encrypted and hashes the MAC. */
final class TreeDecryption {

    /** The decrypted tree, its leaves in MAC order and the MAC computed over them (upper-case hex). */
    record Result(List<SopsBranch> branches, List<SopsLeaf> leaves, String mac) {
    }

    private final String fileName;
    private final SopsMetadata metadata;
    private final ValueCipher cipher;
    private final MessageDigest hash;
    private final List<SopsLeaf> leaves = new ArrayList<>();

    TreeDecryption(String fileName, SopsMetadata metadata, ValueCipher cipher) {
        this.fileName = fileName;
        this.metadata = metadata;
        this.cipher = cipher;
        this.hash = sha512();
        if (metadata.macOnlyEncrypted()) {
            // Makes a mac_only_encrypted MAC differ from a full one over the same values.
            hash.update(sha256("sops"));
        }
    }

    Result run(List<SopsBranch> branches) {
        List<SopsBranch> decrypted = new ArrayList<>();
        for (SopsBranch branch : branches) {
            decrypted.add(walkBranch(branch, List.of(), List.of()));
        }
        return new Result(decrypted, List.copyOf(leaves), HexFormat.of().withUpperCase().formatHex(hash.digest()));
    }

    private SopsBranch walkBranch(SopsBranch branch, List<String> path, List<List<String>> comments) {
        List<List<String>> stack = push(comments);
        SopsBranch out = new SopsBranch();
        for (BranchItem item : branch.items()) {
            if (item instanceof Comment comment) {
                top(stack).add(comment.text());
                out.add(decryptComment(comment, path, stack));
                continue;
            }
            KeyValue pair = (KeyValue) item;
            List<String> childPath = append(path, pair.key());
            out.add(new KeyValue(pair.key(), walkValue(pair.value(), childPath, stack)));
            top(stack).clear();
        }
        return out;
    }

    private List<Object> walkList(List<?> list, List<String> path, List<List<String>> comments) {
        List<List<String>> stack = push(comments);
        List<Object> out = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Comment comment) {
                top(stack).add(comment.text());
                out.add(decryptComment(comment, path, stack));
                continue;
            }
            out.add(walkValue(item, path, stack));
            top(stack).clear();
        }
        return out;
    }

    private Object walkValue(Object value, List<String> path, List<List<String>> stack) {
        if (value == null) {
            return null;
        }
        if (value instanceof SopsBranch branch) {
            return walkBranch(branch, path, stack);
        }
        if (value instanceof List<?> list) {
            return walkList(list, path, stack);
        }
        return leaf(value, path, stack);
    }

    private Object leaf(Object value, List<String> path, List<List<String>> stack) {
        boolean encrypted = metadata.cryptRule().encrypts(path, stack, false);
        String aad = aad(path);
        Object plain = value;
        if (encrypted) {
            if (!(value instanceof String text)) {
                throw new SecretsException(fileName + ": value at " + aad + " should be encrypted but is a plain "
                        + GoValues.typeName(value));
            }
            try {
                plain = cipher.decrypt(text, aad);
            } catch (ValueCipher.Failure e) {
                throw new SecretsException(e.getMessage().startsWith(ValueCipher.MALFORMED)
                        ? fileName + ": malformed ENC[...] value at " + aad + " "
                                + e.getMessage().substring(ValueCipher.MALFORMED.length())
                        : fileName + ": value at " + aad + " " + e.getMessage());
            }
            if (plain instanceof Comment comment) {
                plain = comment.text();
            }
        }
        boolean inMac = !metadata.macOnlyEncrypted() || encrypted;
        if (inMac) {
            hash.update(GoValues.macBytes(plain));
        }
        leaves.add(new SopsLeaf(aad, GoValues.typeName(plain), GoValues.macText(plain), encrypted, inMac));
        return plain;
    }

    private Comment decryptComment(Comment comment, List<String> path, List<List<String>> stack) {
        if (!metadata.cryptRule().encrypts(path, stack, true)) {
            return comment;
        }
        try {
            Object plain = cipher.decrypt(comment.text(), aad(path));
            String text = plain instanceof Comment decrypted ? decrypted.text() : GoValues.macText(plain);
            return new Comment(text, comment.inline());
        } catch (ValueCipher.Failure e) {
            // Older sops versions wrote comments in clear text: those stay as they are. A comment in ENC[...] form
            // that does not open was tampered with, and comments are outside the MAC: refuse it.
            if (!comment.text().strip().startsWith("ENC[")) {
                return comment;
            }
            throw new SecretsException(fileName + ": encrypted comment " + (path.isEmpty() ? "at the top level"
                    : "under " + aad(path)) + " does not decrypt: " + e.getMessage());
        }
    }

    private static String aad(List<String> path) {
        return String.join(":", path) + ":";
    }

    private List<List<String>> push(List<List<String>> stack) {
        // The stores bound nesting already; trees built in code are held to the same bound.
        if (stack.size() >= SopsLimits.MAX_DEPTH) {
            throw SopsLimits.tooDeep(fileName, "");
        }
        List<List<String>> next = new ArrayList<>(stack);
        next.add(new ArrayList<>());
        return next;
    }

    private static List<String> top(List<List<String>> stack) {
        return stack.get(stack.size() - 1);
    }

    private static List<String> append(List<String> path, String key) {
        List<String> next = new ArrayList<>(path);
        next.add(key);
        return next;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
