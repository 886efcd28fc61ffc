package org.gitopssync.secrets.age;

import com.exceptionfactory.jagged.DecryptingChannelFactory;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gitopssync.secrets.SecretsException;

/** Decrypts age files (binary or ASCII-armored) with a fixed set of identities. */
public final class AgeDecryptor {

    private final List<AgeIdentity> identities;
    private final List<RecipientStanzaReader> readers;

    public AgeDecryptor(List<AgeIdentity> identities) {
        this.identities = List.copyOf(identities);
        List<RecipientStanzaReader> all = new ArrayList<>();
        identities.forEach(identity -> all.addAll(identity.stanzaReaders()));
        this.readers = List.copyOf(all);
    }

    public List<AgeIdentity> identities() {
        return identities;
    }

    /** Whether {@code file} is an age file (binary or armored) rather than, say, a sops document. */
    public static boolean isAgeFile(byte[] file) {
        return AgeFormat.looksLikeAge(file);
    }

    /** Decrypts an age file, detecting ASCII armor. */
    public byte[] decrypt(byte[] ageFile) {
        return decrypt(ageFile, "age file");
    }

    /** Decrypts an age file; {@code name} identifies it in error messages. */
    public byte[] decrypt(byte[] ageFile, String name) {
        Optional<String> problem = AgeFormat.problem(ageFile);
        if (problem.isPresent()) {
            throw new SecretsException(name + ": not a valid age file: " + problem.get());
        }
        if (readers.isEmpty()) {
            throw new SecretsException(name + ": no age identities configured (recipients in the file: "
                    + recipientsOf(ageFile) + ")");
        }
        DecryptingChannelFactory factory = AgeHeader.isArmored(ageFile)
                ? new ArmoredDecryptingChannelFactory()
                : new StandardDecryptingChannelFactory();
        byte[] input = AgeHeader.isArmored(ageFile) ? stripLeadingWhitespace(ageFile) : ageFile;
        try (ReadableByteChannel channel =
                factory.newDecryptingChannel(Channels.newChannel(new ByteArrayInputStream(input)), readers)) {
            return readFully(channel);
        } catch (GeneralSecurityException e) {
            if (isHeaderTampered(e)) {
                throw new SecretsException(name + ": age header MAC mismatch (file tampered or corrupted)");
            }
            throw new SecretsException(name + ": no identity matches the file's recipients ("
                    + recipientsOf(ageFile) + "); identities tried: " + describeIdentities());
        } catch (IOException e) {
            throw new SecretsException(name + ": age payload is corrupted or truncated (it does not decrypt after a"
                    + " valid header)");
        } catch (IllegalArgumentException | IllegalStateException | BufferUnderflowException e) {
            throw new SecretsException(name + ": not a valid age file: its header cannot be read");
        }
    }

    private String describeIdentities() {
        return identities.stream()
                .map(identity -> identity.sshTag()
                        .map(tag -> "ssh-ed25519 key tag " + tag + " / X25519 " + identity.ageRecipient())
                        .orElse("X25519 " + identity.recipient()))
                .collect(Collectors.joining(", "));
    }

    private static String recipientsOf(byte[] ageFile) {
        return AgeHeader.read(ageFile).map(AgeHeader::describeRecipients).orElse("unreadable age header");
    }

    private static boolean isHeaderTampered(Throwable failure) {
        if (failure instanceof SignatureException) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (isHeaderTampered(suppressed)) {
                return true;
            }
        }
        return failure.getCause() != null && isHeaderTampered(failure.getCause());
    }

    private static byte[] stripLeadingWhitespace(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && Character.isWhitespace(bytes[start])) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    private static byte[] readFully(ReadableByteChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            out.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        return out.toByteArray();
    }
}
