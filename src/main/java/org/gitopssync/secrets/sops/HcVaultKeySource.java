package org.gitopssync.secrets.sops;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.vault.VaultTransit;

/** Unwraps {@code hc_vault} entries through the Vault transit engine of a configured Vault client. */
public final class HcVaultKeySource implements DataKeySource {

    private final List<VaultTransit> clients;

    public HcVaultKeySource(List<? extends VaultTransit> clients) {
        this.clients = List.copyOf(clients);
    }

    public HcVaultKeySource(VaultTransit client) {
        this(List.of(client));
    }

    @Override
    public boolean handles(SopsMasterKey key) {
        return "hc_vault".equals(key.type());
    }

    @Override
    public byte[] unwrap(SopsMasterKey key) {
        String address = key.attribute("vault_address");
        VaultTransit client = clientFor(address).orElseThrow(() ->
                new SecretsException("no Vault client configured for " + address));
        return client.decrypt(key.attribute("engine_path"), key.attribute("key_name"), key.encryptedKey());
    }

    private Optional<VaultTransit> clientFor(String address) {
        String wanted = normalize(address);
        return clients.stream().filter(client -> normalize(client.address()).equals(wanted)).findFirst();
    }

    private static String normalize(String address) {
        try {
            URI uri = URI.create(address.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "http".equals(scheme) ? 80 : 443;
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + ":" + port;
        } catch (IllegalArgumentException e) {
            return address.strip();
        }
    }
}
