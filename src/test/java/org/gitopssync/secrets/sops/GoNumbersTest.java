package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's float formatting, which the MAC (FormatFloat 'f') and the YAML/JSON output ('g', encoding/json) depend on. */
class GoNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "25.4|25.4|25.4|25.4", "1234568000|1234568000|1.234568e+09|1234568000", "1e21|1000000000000000000000|1e+21|1e+21",
        "0.0000001|0.0000001|1e-07|1e-7", "100|100|100|100", "0.1|0.1|0.1|0.1", "-2.5|-2.5|-2.5|-2.5",
        "123456.7|123456.7|123456.7|123456.7", "1234567.5|1234567.5|1.2345675e+06|1234567.5",
        "2.82879384806159e17|282879384806159000|2.82879384806159e+17|282879384806159000",
    })
    void formatsLikeStrconv(double value, String f, String g, String json) {
        assertThat(GoNumbers.formatF(value)).isEqualTo(f);
        assertThat(GoNumbers.formatG(value, false)).isEqualTo(g);
        assertThat(JsonStore.formatFloat(value)).isEqualTo(json);
    }

    @Test
    void specialValues() {
        assertThat(GoNumbers.formatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GoNumbers.formatF(Double.NaN)).isEqualTo("NaN");
        assertThat(GoNumbers.formatF(-0.0)).isEqualTo("-0");
        assertThat(GoValues.flatText(100.0)).isEqualTo("100.0");
        assertThat(GoValues.flatText(1e21)).isEqualTo("1E+21");
    }

    @Test
    void parsesLikeStrconv() {
        assertThat(GoNumbers.atoi("+42")).contains(42L);
        assertThat(GoNumbers.atoi("4.2")).isEmpty();
        assertThat(GoNumbers.parseFloat("1e3")).contains(1000.0);
        assertThat(GoNumbers.parseFloat("1.5f")).isEmpty();
        assertThat(GoNumbers.parseFloat("-Inf")).contains(Double.NEGATIVE_INFINITY);
        assertThat(GoNumbers.parseBool("T")).contains(true);
        assertThat(GoNumbers.parseBool("yes")).isEmpty();
    }

    @Test
    void shamirCombinesAnyThresholdOfShares() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<byte[]> shares = SopsTestWriter.split(secret, 3, 2);

        assertThat(ShamirSecret.combine(List.of(shares.get(0), shares.get(2)))).isEqualTo(secret);
        assertThat(ShamirSecret.combine(List.of(shares.get(1), shares.get(0)))).isEqualTo(secret);
        assertThat(ShamirSecret.combine(shares)).isEqualTo(secret);
    }
}
