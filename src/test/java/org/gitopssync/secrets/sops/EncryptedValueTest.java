package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EncryptedValueTest {

    // sops's own pattern: the reader without it must split every value the same way.
    private static final Pattern SOPS = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");

    @Test
    void valueAsSopsWritesItSplitsLikeSopsPattern() {
        String text = "ENC[AES256_GCM,data:zmdmsVMztDtjn4NQvJPq5cnRA0aOQQfo,iv:P8ClLUG/5eqjpby5MRuT6e2sSpBliL7nWMr1+va4hsM="
                + ",tag:UfDrpdZKWuO8lawj46Urbw==,type:str]";
        assertSplitLikeSops(text);
    }

    @Test
    void oddShapesAreSplitByTheGreedyPatternAsSopsDoes() {
        String b = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        // a second ",iv:" makes the data group reach the later one, which is then not base64
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:" + b + ",iv:" + b + ",iv:" + b + ",tag:" + b
                + ",type:str]")).isEmpty();
        // the tag group reaches the later ",type:", and is then not base64
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:" + b + ",iv:" + b + ",tag:" + b + ",type:str],type:x]"))
                .isEmpty();
        // the type group reaches the last "]"
        assertSplitLikeSops("ENC[AES256_GCM,data:" + b + ",iv:" + b + ",tag:" + b + ",type:str] trailing]");
        assertSplitLikeSops("ENC[AES256_GCM,data:" + b + ",iv:" + b + ",tag:" + b + ",type:Str]");
    }

    @Test
    void emptyPartsAndBadBase64AreRefused() {
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:,iv:AQID,tag:AQID,type:str]")).isEmpty();
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:AQID,iv:AQID,tag:AQID,type:]")).isEmpty();
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:AQ=D,iv:AQID,tag:AQID,type:str]")).isEmpty();
        assertThat(EncryptedValue.parse("ENC[AES256_GCM,data:AQID,iv:AQID,tag:AQID,type:str")).isEmpty();
        assertThat(EncryptedValue.parse("]")).isEmpty();
    }

    @Test
    void everyBase64FormDecodesOrIsRefusedExactlyAsJavasDecoderDoes() {
        Random random = new Random(15);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        for (int n = 0; n < 20_000; n++) {
            String data;
            if (n % 2 == 0) {
                // padded, unpadded and with bits left over in the last character
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                data = Base64.getEncoder().encodeToString(bytes);
                if (n % 3 == 0) {
                    data = data.replace("=", "");
                } else if (n % 5 == 0 && data.endsWith("=")) {
                    int at = data.indexOf('=') - 1;
                    data = data.substring(0, at) + alphabet.charAt(random.nextInt(64)) + data.substring(at + 1);
                }
            } else {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(13); i > 0; i--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                data = text.toString();
            }
            String value = "ENC[AES256_GCM,data:" + data + ",iv:AQID,tag:AQIDBA==,type:str]";
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                expected = null;
            }
            if (expected == null || data.isEmpty()) {
                assertThat(EncryptedValue.parse(value)).as(data).isEmpty();
            } else {
                assertThat(EncryptedValue.parse(value).orElseThrow().data()).as(data).isEqualTo(expected);
            }
        }
    }

    private static void assertSplitLikeSops(String text) {
        Matcher m = SOPS.matcher(text);
        assertThat(m.find()).isTrue();
        EncryptedValue value = EncryptedValue.parse(text).orElseThrow();
        assertThat(value.data()).isEqualTo(Base64.getDecoder().decode(m.group(1)));
        assertThat(value.iv()).isEqualTo(Base64.getDecoder().decode(m.group(2)));
        assertThat(value.tag()).isEqualTo(Base64.getDecoder().decode(m.group(3)));
        assertThat(value.type()).isEqualTo(m.group(4));
    }
}
