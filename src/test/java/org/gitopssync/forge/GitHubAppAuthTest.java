package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubAppAuthTest {

    static final String SHA = StatusReportersTest.SHA;
    static final long INSTALLATION = 4242;
    static KeyPair keys;

    final MutableClock clock = MutableClock.atDefault();
    final GitHubApiDouble github = new GitHubApiDouble(clock, "unused-pat");

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    static String pkcs8Pem() {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    static String pkcs1Pem() throws Exception {
        byte[] pkcs1 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded()).parsePrivateKey()
                .toASN1Primitive().getEncoded();
        return pem("RSA PRIVATE KEY", pkcs1);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    StatusReporter reporter(String appId, String pem) {
        ForgeConnection connection = new ForgeConnection(ForgeKind.GITHUB, github.baseUrl(),
                new ForgeAuth.GitHubApp(appId, INSTALLATION, Credential.of(pem, "file /run/keys/app.pem")));
        return ForgeApi.connect(connection, HttpClient.newHttpClient(), clock).statusReporter();
    }

    void post(StatusReporter reporter) {
        reporter.report(RepositoryCoordinates.of("acme", "infra"),
                new CommitStatus(SHA, "gitops-sync/eval", StatusState.SUCCESS, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs1", "pkcs8"})
    void installationTokenIsFetchedWithASignedJwtAndUsedForStatuses(String format) throws Exception {
        github.installApp("123456", keys.getPublic(), INSTALLATION);
        post(reporter("123456", format.equals("pkcs1") ? pkcs1Pem() : pkcs8Pem()));

        ApiDouble.Recorded tokenRequest = github.requests().get(0);
        assertThat(tokenRequest.method()).isEqualTo("POST");
        assertThat(tokenRequest.rawPath()).isEqualTo("/app/installations/4242/access_tokens");
        assertThat(github.issuedTokens()).containsExactly("ghs_1");
        assertThat(github.statuses()).singleElement()
                .satisfies(s -> assertThat(s.token()).isEqualTo("ghs_1"));
    }

    @Test
    void clientIdIssuerIsAcceptedToo() throws Exception {
        github.installApp("Iv23liAbCdEf", keys.getPublic(), INSTALLATION);
        post(reporter("Iv23liAbCdEf", pkcs8Pem()));
        assertThat(github.statuses()).hasSize(1);
    }

    @Test
    void tokenIsReusedUntilShortlyBeforeExpiryThenRenewed() {
        github.installApp("123456", keys.getPublic(), INSTALLATION);
        StatusReporter reporter = reporter("123456", pkcs8Pem());
        post(reporter);
        clock.advance(Duration.ofMinutes(30));
        post(reporter);
        assertThat(github.issuedTokens()).containsExactly("ghs_1");

        // Tokens live an hour; inside the renewal margin a new one is fetched before it is needed.
        clock.advance(Duration.ofMinutes(26));
        post(reporter);

        assertThat(github.issuedTokens()).containsExactly("ghs_1", "ghs_2");
        assertThat(github.statuses()).extracting(GitHubApiDouble.Posted::token)
                .containsExactly("ghs_1", "ghs_1", "ghs_2");
        assertThat(github.requests("POST", "/app/")).hasSize(2);
    }

    @Test
    void revokedTokenIsRenewedOnceAfter401() {
        github.installApp("123456", keys.getPublic(), INSTALLATION);
        StatusReporter reporter = reporter("123456", pkcs8Pem());
        post(reporter);
        github.failNext(ApiDouble.Reply.json(401, Map.of("message", "Bad credentials")));
        post(reporter);

        assertThat(github.issuedTokens()).containsExactly("ghs_1", "ghs_2");
        assertThat(github.statuses()).extracting(GitHubApiDouble.Posted::token).containsExactly("ghs_1", "ghs_2");
    }

    @Test
    void jwtSignedWithAnotherKeyIsRefusedWithoutLeakingIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        github.installApp("123456", generator.generateKeyPair().getPublic(), INSTALLATION);
        StatusReporter reporter = reporter("123456", pkcs8Pem());

        assertThatThrownBy(() -> post(reporter)).isInstanceOfSatisfying(ForgeException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).contains("installation 4242 token").doesNotContain("eyJ");
        });
        assertThat(github.statuses()).isEmpty();
    }

    @Test
    void wrongIssuerIsRefused() {
        github.installApp("123456", keys.getPublic(), INSTALLATION);
        assertThatThrownBy(() -> post(reporter("999", pkcs8Pem())))
                .isInstanceOfSatisfying(ForgeException.class, e -> assertThat(e.getMessage()).contains("iss"));
    }

    @Test
    void unreadableKeyIsAConfigurationErrorNamingItsOriginOnly() {
        String broken = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> reporter("1", broken))
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("file /run/keys/app.pem")
                .hasMessageNotContaining("bm90IGEga2V5");
    }
}
