package org.gitopssync.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-process stand-in for a Vault server on 127.0.0.1 (no real Vault can be installed here). It implements the
 * calls gitops-sync makes as Vault documents them: X-Vault-Token and X-Vault-Namespace checks (403 for bad tokens),
 * 404 for missing paths, AppRole login issuing tokens, renew-self, KV v1 and v2 reads, and transit encrypt/decrypt
 * with real AES-256-GCM and {@code vault:v1:} ciphertexts.
 */
public final class VaultServerDouble implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String method, String path, String token, String namespace, String vaultRequestHeader) {
    }

    private record Token(long ttlSeconds, boolean renewable) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> appRoles = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> kv1 = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> kv2 = new ConcurrentHashMap<>();
    private final Map<String, byte[]> transitKeys = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile long appRoleTokenTtl = 3600;

    /** Starts the server; resources live in {@code namespace} ("" for the root namespace). */
    public VaultServerDouble(String namespace) throws IOException {
        this.namespace = namespace;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String issueToken(long ttlSeconds, boolean renewable) {
        String token = "hvs." + HexFormat.of().formatHex(randomBytes(12));
        tokens.put(token, new Token(ttlSeconds, renewable));
        return token;
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    public void revokeAll() {
        tokens.clear();
    }

    public void addAppRole(String roleId, String secretId, long tokenTtlSeconds) {
        appRoles.put(roleId, secretId);
        appRoleTokenTtl = tokenTtlSeconds;
    }

    public void putKv1(String mount, String path, Map<String, Object> data) {
        kv1.put(mount + "/" + path, data);
    }

    public void putKv2(String mount, String path, Map<String, Object> data) {
        kv2.put(mount + "/data/" + path, data);
    }

    public void createTransitKey(String mount, String name) {
        transitKeys.put(mount + "/" + name, randomBytes(32));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long count(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            String requestNamespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            requests.add(new Request(exchange.getRequestMethod(), path, token, requestNamespace,
                    exchange.getRequestHeaders().getFirst("X-Vault-Request")));
            JsonNode body = readBody(exchange);
            boolean sameNamespace = namespace.equals(requestNamespace == null ? "" : requestNamespace.replaceAll("/+$", ""));

            if (path.matches("auth/[^/]+/login") && exchange.getRequestMethod().equals("POST")) {
                String secretId = sameNamespace ? appRoles.get(body.path("role_id").asText()) : null;
                if (secretId == null || !secretId.equals(body.path("secret_id").asText())) {
                    error(exchange, 400, "invalid role or secret ID");
                    return;
                }
                String issued = issueToken(appRoleTokenTtl, true);
                respond(exchange, 200, authBody(issued, appRoleTokenTtl, true));
                return;
            }
            if (token == null || !tokens.containsKey(token) || !sameNamespace) {
                error(exchange, 403, "permission denied");
                return;
            }
            if (path.equals("auth/token/renew-self") && exchange.getRequestMethod().equals("POST")) {
                Token current = tokens.get(token);
                if (!current.renewable()) {
                    error(exchange, 400, "lease is not renewable");
                    return;
                }
                long increment = body.path("increment").asLong(0);
                long ttl = increment > 0 ? increment : current.ttlSeconds();
                tokens.put(token, new Token(ttl, true));
                respond(exchange, 200, authBody(token, ttl, true));
                return;
            }
            if (path.matches("[^/]+/(encrypt|decrypt)/[^/]+") && exchange.getRequestMethod().equals("POST")) {
                transit(exchange, path, body);
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                Map<String, Object> v2 = kv2.get(path);
                Map<String, Object> v1 = kv1.get(path);
                if (v2 != null) {
                    ObjectNode inner = JSON.createObjectNode();
                    inner.set("data", JSON.valueToTree(v2));
                    inner.set("metadata", JSON.valueToTree(Map.of("version", 1, "destroyed", false)));
                    respond(exchange, 200, dataBody(inner));
                    return;
                }
                if (v1 != null) {
                    respond(exchange, 200, dataBody(JSON.valueToTree(v1)));
                    return;
                }
            }
            respond(exchange, 404, JSON.createObjectNode().set("errors", JSON.createArrayNode()));
        }
    }

    private void transit(HttpExchange exchange, String path, JsonNode body) throws IOException {
        String[] parts = path.split("/");
        byte[] key = transitKeys.get(parts[0] + "/" + parts[2]);
        if (key == null) {
            error(exchange, 400, "encryption key not found");
            return;
        }
        try {
            if (parts[1].equals("encrypt")) {
                byte[] plaintext = Base64.getDecoder().decode(body.path("plaintext").asText());
                respond(exchange, 200, dataBody(JSON.createObjectNode().put("ciphertext", seal(key, plaintext))));
            } else {
                String ciphertext = body.path("ciphertext").asText();
                if (!ciphertext.startsWith("vault:v1:")) {
                    error(exchange, 400, "invalid ciphertext: no prefix");
                    return;
                }
                byte[] plaintext = open(key, Base64.getDecoder().decode(ciphertext.substring("vault:v1:".length())));
                respond(exchange, 200, dataBody(JSON.createObjectNode().put("plaintext",
                        Base64.getEncoder().encodeToString(plaintext))));
            }
        } catch (AEADBadTagException e) {
            error(exchange, 400, "cipher: message authentication failed");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            error(exchange, 400, "invalid ciphertext");
        }
    }

    private String seal(byte[] key, byte[] plaintext) throws GeneralSecurityException {
        byte[] nonce = randomBytes(12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext);
        return "vault:v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    private static byte[] open(byte[] key, byte[] blob) throws GeneralSecurityException {
        if (blob.length < 12 + 16) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, blob, 0, 12));
        return cipher.doFinal(blob, 12, blob.length - 12);
    }

    private static ObjectNode authBody(String token, long ttl, boolean renewable) {
        ObjectNode auth = JSON.createObjectNode().put("client_token", token).put("accessor", "acc-" + token.hashCode())
                .put("lease_duration", ttl).put("renewable", renewable);
        auth.set("policies", JSON.valueToTree(List.of("default", "gitops")));
        ObjectNode root = JSON.createObjectNode().put("lease_duration", 0).put("renewable", false);
        root.set("auth", auth);
        return root;
    }

    private static ObjectNode dataBody(JsonNode data) {
        ObjectNode root = JSON.createObjectNode().put("lease_duration", 0).put("renewable", false);
        root.set("data", data);
        return root;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        respond(exchange, status, JSON.createObjectNode().set("errors", JSON.valueToTree(List.of(message))));
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "VaultServerDouble[" + address() + ", requests=" + new ArrayList<>(requests).size() + "]";
    }
}
