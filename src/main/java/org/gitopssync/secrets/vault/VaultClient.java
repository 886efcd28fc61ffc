package org.gitopssync.secrets.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.NetworkFailure;
import org.gitopssync.config.Credential;
import org.gitopssync.secrets.SecretsException;

/**
 * A logged-in Vault client: transit decrypt for sops {@code hc_vault} keys, KV v1/v2 reads and token renewal.
 * Thread-safe; tokens and secret values never appear in messages.
 */
public final class VaultClient implements VaultTransit {

    private final VaultSettings settings;
    private volatile Credential token;
    private volatile TokenLease lease;

    private VaultClient(VaultSettings settings) {
        this.settings = settings;
    }

    /** Creates a client and logs in (AppRole) or adopts the configured token. */
    public static VaultClient connect(VaultSettings settings) {
        VaultClient client = new VaultClient(settings);
        client.login();
        return client;
    }

    @Override
    public String address() {
        return settings.address();
    }

    public TokenLease lease() {
        return lease;
    }

    /** (Re-)authenticates: an AppRole login issues a fresh token. */
    public synchronized TokenLease login() {
        if (settings.auth() instanceof VaultAuth.AppRole appRole) {
            AuthResponse response;
            try {
                response = vault(null).auth().loginByAppRole(appRole.mount(), appRole.roleId(), appRole.secretId().reveal());
            } catch (VaultException e) {
                throw failure("AppRole login at auth/" + appRole.mount(), e);
            }
            token = Credential.of(response.getAuthClientToken(), "Vault AppRole login at " + settings.address());
            lease = new TokenLease(Duration.ofSeconds(response.getAuthLeaseDuration()), response.isAuthRenewable());
        } else {
            token = ((VaultAuth.Token) settings.auth()).token();
            lease = new TokenLease(Duration.ZERO, true);
        }
        return lease;
    }

    /**
     * {@code POST /v1/auth/token/renew-self}, for a daemon to call before the lease runs out. An AppRole client
     * whose token can no longer be renewed logs in again.
     */
    public synchronized TokenLease renewSelf(Duration increment) {
        try {
            AuthResponse response = vault(token).auth().renewSelf(increment.toSeconds());
            lease = new TokenLease(Duration.ofSeconds(response.getAuthLeaseDuration()), response.isAuthRenewable());
            return lease;
        } catch (VaultException e) {
            if (settings.auth() instanceof VaultAuth.AppRole && (e.getHttpStatusCode() == 403 || e.getHttpStatusCode() == 400)) {
                return login();
            }
            throw failure("token renewal", e);
        }
    }

    /** Transit decrypt; the plaintext is returned decoded from base64. */
    @Override
    public byte[] decrypt(String enginePath, String keyName, String ciphertext) {
        String path = VaultSettings.trimSlashes(enginePath) + "/decrypt/" + keyName;
        JsonObject data = write(path, Map.of("ciphertext", ciphertext), "transit decrypt with " + path);
        JsonValue plaintext = data.get("plaintext");
        if (plaintext == null || !plaintext.isString()) {
            throw new SecretsException("Vault at " + address() + ": transit decrypt with " + path + " returned no plaintext");
        }
        try {
            return Base64.getDecoder().decode(plaintext.asString());
        } catch (IllegalArgumentException e) {
            throw new SecretsException("Vault at " + address() + ": transit decrypt with " + path + " returned invalid base64");
        }
    }

    /** Transit encrypt of raw bytes; returns the {@code vault:v1:...} ciphertext. */
    public String encrypt(String enginePath, String keyName, byte[] plaintext) {
        String path = VaultSettings.trimSlashes(enginePath) + "/encrypt/" + keyName;
        JsonObject data = write(path, Map.of("plaintext", Base64.getEncoder().encodeToString(plaintext)),
                "transit encrypt with " + path);
        JsonValue ciphertext = data.get("ciphertext");
        if (ciphertext == null || !ciphertext.isString()) {
            throw new SecretsException("Vault at " + address() + ": transit encrypt with " + path + " returned no ciphertext");
        }
        return ciphertext.asString();
    }

    /** One field of a KV secret ({@code mount}, {@code path}, {@code field}); KV v2 reads the latest version. */
    public Credential readKv(String mount, String path, String field) {
        Credential value = readKvSecret(mount, path).get(field);
        if (value == null) {
            throw new SecretsException("Vault at " + address() + ": KV read of " + VaultSettings.trimSlashes(mount) + "/"
                    + VaultSettings.trimSlashes(path) + " has no field \"" + field + "\"");
        }
        return value;
    }

    /** Every field of a KV secret, from one read (so, for KV v2, from one version of it). */
    public Map<String, Credential> readKvSecret(String mount, String path) {
        String cleanMount = VaultSettings.trimSlashes(mount);
        String cleanPath = VaultSettings.trimSlashes(path);
        boolean v2 = settings.kvVersion(cleanMount) == 2;
        String apiPath = cleanMount + (v2 ? "/data/" : "/") + cleanPath;
        String what = "KV read of " + cleanMount + "/" + cleanPath;
        LogicalResponse response;
        try {
            response = vault(token).logical().read(apiPath);
        } catch (VaultException e) {
            throw failure(what, e);
        }
        JsonObject data = checked(response, what);
        if (v2) {
            JsonValue inner = data.get("data");
            if (inner == null || !inner.isObject()) {
                throw new SecretsException("Vault at " + address() + ": " + what + " has no data (deleted version?)");
            }
            data = inner.asObject();
        }
        Map<String, Credential> fields = new LinkedHashMap<>();
        for (JsonObject.Member m : data) {
            JsonValue value = m.getValue();
            String text = value.isString() ? value.asString() : value.toString();
            fields.put(m.getName(), new Credential(text.getBytes(StandardCharsets.UTF_8),
                    "vault " + cleanMount + "/" + cleanPath + "#" + m.getName()));
        }
        return fields;
    }

    private JsonObject write(String path, Map<String, Object> body, String what) {
        try {
            return checked(vault(token).logical().write(path, body), what);
        } catch (VaultException e) {
            throw failure(what, e);
        }
    }

    /** The driver returns 4xx responses instead of throwing: turn them into errors here. */
    private JsonObject checked(LogicalResponse response, String what) {
        int status = response.getRestResponse().getStatus();
        if (status == 200 || status == 204) {
            JsonObject data = response.getDataObject();
            return data == null ? new JsonObject() : data;
        }
        throw new SecretsException("Vault at " + address() + ": " + what + " failed: " + describe(status)
                + vaultErrors(response.getRestResponse().getBody()));
    }

    private Vault vault(Credential currentToken) {
        try {
            VaultConfig config = new VaultConfig()
                    .environmentLoader(new NoEnvironment())
                    .address(settings.address())
                    .engineVersion(1)
                    .openTimeout((int) settings.timeout().toSeconds())
                    .readTimeout((int) settings.timeout().toSeconds());
            if (currentToken != null) {
                config.token(currentToken.reveal());
            }
            if (!settings.namespace().isEmpty()) {
                config.nameSpace(settings.namespace());
            }
            // Engine version 1 everywhere: the driver would otherwise rewrite transit/decrypt/k to transit/data/decrypt/k.
            return Vault.create(config.build(), 1);
        } catch (VaultException e) {
            throw new SecretsException("invalid Vault settings for " + settings.address() + ": " + e.getMessage(), e);
        }
    }

    private SecretsException failure(String what, VaultException e) {
        int status = e.getHttpStatusCode();
        if (status > 0) {
            return new SecretsException("Vault at " + address() + ": " + what + " failed: " + describe(status));
        }
        return new SecretsException("cannot reach Vault at " + address() + " for " + what + ": "
                + NetworkFailure.describe(e.getCause() != null ? e.getCause() : e), e);
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "HTTP 400 (invalid request or credentials)";
            case 403 -> "HTTP 403 (permission denied: bad or expired token, or wrong namespace)";
            case 404 -> "HTTP 404 (no such path)";
            case 503 -> "HTTP 503 (Vault is sealed or in standby)";
            default -> "HTTP " + status;
        };
    }

    private static String vaultErrors(byte[] body) {
        try {
            JsonValue errors = Json.parse(new String(body, StandardCharsets.UTF_8)).asObject().get("errors");
            if (errors == null || !errors.isArray() || errors.asArray().isEmpty()) {
                return "";
            }
            List<String> messages = new ArrayList<>();
            errors.asArray().forEach(error -> messages.add(error.isString() ? error.asString() : error.toString()));
            return ": " + String.join("; ", messages);
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "VaultClient[" + settings.address() + (settings.namespace().isEmpty() ? "" : ", namespace " + settings.namespace())
                + "]";
    }

    /** Keeps the driver from reading VAULT_* variables behind the caller's back. */
    private static final class NoEnvironment extends EnvironmentLoader {
        private static final long serialVersionUID = 1L;

        @Override
        public String loadVariable(String name) {
            return null;
        }
    }
}
