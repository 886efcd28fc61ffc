package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/nixos.md's options reference is the one generated from the module's declarations
 * (nix/options-doc.nix), so every option is documented with its real type and default.
 */
class OptionsDocTest {

    private static final String BEGIN = "<!-- options:begin -->";
    private static final String END = "<!-- options:end -->";

    @Test
    void theReferenceInTheDocsIsUpToDate() throws IOException {
        String generated = NixInstantiate.evalJson("import ./nix/options-doc.nix").asText();
        String doc = Files.readString(NixInstantiate.projectRoot().resolve("docs/nixos.md"));
        int begin = doc.indexOf(BEGIN + "\n");
        int end = doc.indexOf(END);
        assertThat(begin).withFailMessage("docs/nixos.md has no %s marker", BEGIN).isNotNegative();
        assertThat(end).withFailMessage("docs/nixos.md has no %s marker", END).isGreaterThan(begin);
        String documented = doc.substring(begin + BEGIN.length() + 1, end);
        assertThat(documented)
                .withFailMessage("the options reference in docs/nixos.md is stale: run nix/update-options-doc.sh")
                .isEqualTo(generated);
    }

    @Test
    void everyOptionHasATypeADefaultAndADescription() {
        JsonNode generated = NixInstantiate.evalJson("import ./nix/options-doc.nix");
        List<String> rows = Arrays.stream(generated.asText().split("\n")).skip(2).toList();
        assertThat(rows).hasSizeGreaterThan(60);
        for (String row : rows) {
            String[] cells = row.split(" \\| ");
            assertThat(cells).withFailMessage("malformed row: %s", row).hasSize(4);
            assertThat(cells[1]).withFailMessage("no type: %s", row).isNotBlank();
            assertThat(cells[2]).withFailMessage("no default: %s", row).matches("`.+`");
            assertThat(cells[3]).withFailMessage("no description: %s", row).matches(".*\\w.* \\|");
        }
        assertThat(rows).anyMatch(r -> r.startsWith("| `services.gitops.mode` | one of \"timer\", \"daemon\" | `\"timer\"` |"));
        assertThat(rows).anyMatch(r -> r.startsWith("| `services.gitops.settings.caches.*.id` |"));
        assertThat(rows).anyMatch(r -> r.startsWith("| `services.gitops.settings.secrets.root` |"));
    }
}
