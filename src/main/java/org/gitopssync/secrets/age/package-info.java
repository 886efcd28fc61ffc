/**
 * age decryption: X25519 identities and OpenSSH ed25519 keys (as "ssh-ed25519" stanzas, and converted the
 * ssh-to-age way for sops-nix), binary or ASCII-armored files.
 */
package org.gitopssync.secrets.age;
