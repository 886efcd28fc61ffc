package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process's internal-json log split into per-derivation logs, as Nix 2.8 prints it. */
class BuildLogDemuxTest {

    private static final String X1 = "/nix/store/wi73ig7y840jyqlpk210mb0s8na2vzi4-x1.drv";
    private static final String X2 = "/nix/store/1qkp9ly897k0nwzi6pzzwm2kfsbfxswa-x2.drv";

    @TempDir
    Path tmp;

    @Test
    void linesGoToTheLogOfTheBuildThatPrintedThemAndErrorsToTheDerivationTheyName() throws IOException {
        List<String> started = new ArrayList<>();
        try (BuildLogDemux demux = new BuildLogDemux(Map.of(X1, tmp.resolve("x1.log"), X2, tmp.resolve("x2.log")), 3,
                (drv, at) -> started.add(drv))) {
            for (String line : List.of(
                    "@nix {\"action\":\"msg\",\"level\":3,\"msg\":\"these 2 derivations will be built:\"}",
                    "@nix {\"action\":\"start\",\"fields\":[\"" + X1 + "\",\"\",1,1],\"id\":89,\"level\":3,"
                            + "\"text\":\"building '" + X1 + "'\",\"type\":105}",
                    "@nix {\"action\":\"result\",\"fields\":[\"line-1\"],\"id\":89,\"type\":101}",
                    "@nix {\"action\":\"result\",\"fields\":[1,3,0,0],\"id\":86,\"type\":105}",
                    "@nix {\"action\":\"start\",\"fields\":[\"" + X2 + "\",\"\",1,1],\"id\":90,\"level\":3,"
                            + "\"text\":\"building '" + X2 + "'\",\"type\":105}",
                    "@nix {\"action\":\"result\",\"fields\":[\"out-2\"],\"id\":90,\"type\":101}",
                    "@nix {\"action\":\"result\",\"fields\":[\"err-2\"],\"id\":90,\"type\":101}",
                    "@nix {\"action\":\"stop\",\"id\":90}",
                    "@nix {\"action\":\"msg\",\"level\":0,\"msg\":\"\\u001b[31;1merror:\\u001b[0m builder for '\\u001b[35;1m"
                            + X2 + "\\u001b[0m' failed with exit code 4\"}",
                    "@nix {\"action\":\"msg\",\"level\":0,\"msg\":\"error: build of '" + X1 + "', '" + X2 + "' failed\"}",
                    "not json at all")) {
                demux.accept(line);
            }
            assertThat(started).containsExactly(X1, X2);
            assertThat(demux.error(X2)).isEqualTo("builder for '" + X2 + "' failed with exit code 4");
            assertThat(demux.error(X1)).as("a message naming several derivations is nobody's").isNull();
            assertThat(demux.tail(X2)).as("the last 3 lines").containsExactly("out-2", "err-2",
                    "error: builder for '" + X2 + "' failed with exit code 4");
            assertThat(demux.otherErrors()).contains("not json at all");
        }
        assertThat(Files.readString(tmp.resolve("x1.log"))).isEqualTo("building '" + X1 + "'\nline-1\n");
        assertThat(Files.readString(tmp.resolve("x2.log"))).contains("out-2\nerr-2\n");
    }

    @Test
    void eachBuildOfABatchLastsUntilTheNextStarts() {
        var d = BatchBuilder.durations(new java.util.LinkedHashMap<>(Map.of("a", 100L)), 350L);
        assertThat(d.get("a").toNanos()).isEqualTo(250);
    }
}
