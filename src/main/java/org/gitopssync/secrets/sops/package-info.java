/**
 * Decrypts sops files (YAML, JSON, dotenv, INI, binary) the way {@code sops -d} does, MAC check included.
 *
 * <pre>{@code
 * SopsDecryptor decryptor = new SopsDecryptor(List.of(
 *         new AgeKeySource(new AgeDecryptor(AgeIdentities.load(keyFiles, sshKeys, System.getenv()))),
 *         new HcVaultKeySource(vaultClient),
 *         PgpKeySource.readKeyFiles(pgpKeyFiles)));
 * DecryptedDocument secrets = decryptor.decrypt(SopsFile.parse(Path.of("secrets.yaml")));
 * byte[] whole = secrets.render();                 // what sops -d prints
 * String password = secrets.value("db/password");  // a sops-nix style key
 * }</pre>
 */
package org.gitopssync.secrets.sops;
