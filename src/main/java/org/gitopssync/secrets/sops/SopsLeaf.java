package org.gitopssync.secrets.sops;

/**
 * One decrypted (or plain) leaf of a sops document, in MAC order.
 *
 * @param path the key path as sops uses it for associated data, e.g. {@code db:password:}
 * @param type str, int, float, bool, bytes or time
 * @param value the value as text, exactly as it entered the MAC (Go formatting)
 * @param encrypted whether the file stored it encrypted
 * @param inMac whether it is part of the MAC (all leaves, unless {@code mac_only_encrypted})
 */
public record SopsLeaf(String path, String type, String value, boolean encrypted, boolean inMac) {

    @Override
    public String toString() {
        return "SopsLeaf[" + path + " " + type + (encrypted ? " encrypted" : " plain") + "]";
    }
}
