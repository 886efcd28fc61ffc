package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.install.SecretsKeys;
import org.gitopssync.secrets.sops.DecryptedDocument;
import org.gitopssync.secrets.sops.SopsDecryptor;
import org.gitopssync.secrets.sops.SopsFile;
import org.gitopssync.secrets.sops.SopsFormat;
import org.gitopssync.secrets.vault.VaultSession;
import org.gitopssync.secrets.age.AgeDecryptor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code secrets decrypt}: prints a sops file's plaintext exactly as {@code sops -d} does (or a plain age file's). */
class SecretsDecryptCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Print the decrypted content of a sops or age file, exactly as `sops -d` does.",
                    "Formats: yaml, json, dotenv, ini, binary, and plain age files. Keys: the configuration's [secrets] keys and [vault] when a",
                    "configuration is given or found, plus --age-key-file/--ssh-key, SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and",
                    "SOPS_AGE_SSH_PRIVATE_KEY_FILE.")
            .addPositional(PositionalParamSpec.builder().index("0").required(true).paramLabel("FILE").type(Path.class)
                    .description("The sops or age file.").build())
            .addOption(OptionSpec.builder("--extract").paramLabel("PATH").type(String.class)
                    .description("Print one value: a key as in the manifest, e.g. db/password (or a plain top-level key),",
                            "or the sops form '[\"db\"][\"password\"]' (as sops --extract).").build())
            .addOption(flag("--ignore-mac").description("Skip the MAC check (deliberate recovery only).").build())
            .addOption(OptionSpec.builder("--input-type").paramLabel("TYPE").type(String.class)
                    .description("yaml, json, dotenv, ini or binary (default: from the file name, as sops does).").build())
            .addOption(OptionSpec.builder("--age-key-file").paramLabel("FILE").type(List.class)
                    .auxiliaryTypes(Path.class).initialValue(List.of())
                    .description("An age identity file (repeatable).").build())
            .addOption(OptionSpec.builder("--ssh-key").paramLabel("FILE").type(List.class)
                    .auxiliaryTypes(Path.class).initialValue(List.of())
                    .description("An OpenSSH ed25519 private key (repeatable).").build())
            .addOption(OptionSpec.builder("-c", "--config").paramLabel("FILE").type(Path.class)
                    .description("Configuration whose keys to use (default: $GITOPS_CONFIG, else "
                            + "/etc/gitops-sync/gitops.toml if it exists, else none).").build())
            // benchmarks only: decrypt this many times in one process and report timings on stderr
            .addOption(OptionSpec.builder("--repeat").hidden(true).paramLabel("<repeat>").type(int.class)
                    .defaultValue("1").build());

    static CommandSpec spec() {
        return new SecretsDecryptCommand().spec;
    }

    // the arguments, taken from the model when the command runs: the methods below share them
    private Path file;
    private String extract;
    private boolean ignoreMac;
    private String inputType;
    private List<Path> ageKeyFiles;
    private List<Path> sshKeys;
    private Path config;
    private int repeat;

    @Override
    public Integer call() throws IOException {
        file = spec.positionalParameters().get(0).getValue();
        extract = spec.findOption("--extract").getValue();
        ignoreMac = spec.findOption("--ignore-mac").getValue();
        inputType = spec.findOption("--input-type").getValue();
        ageKeyFiles = spec.findOption("--age-key-file").getValue();
        sshKeys = spec.findOption("--ssh-key").getValue();
        config = spec.findOption("--config").getValue();
        repeat = spec.findOption("--repeat").getValue();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SecretsException(file + ": no such file");
        }
        SecretsKeys keys = keys();
        boolean age = AgeDecryptor.isAgeFile(content);
        if (age && extract != null) {
            throw new ParameterException(spec.commandLine(), "--extract needs a sops file; " + file
                    + " is a plain age file");
        }
        SopsFormat format = format();
        byte[] plaintext = null;
        long[] nanos = new long[Math.max(1, repeat)];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            plaintext = age ? keys.age().decrypt(content, file.toString()) : decryptSops(content, format, keys);
            nanos[i] = System.nanoTime() - started;
        }
        PrintStream out = System.out;
        out.write(plaintext);
        out.flush();
        if (repeat > 1) {
            report(nanos, content.length, plaintext.length);
        }
        return ExitCodes.OK;
    }

    private byte[] decryptSops(byte[] content, SopsFormat format, SecretsKeys keys) {
        SopsDecryptor decryptor = ignoreMac ? keys.sops().ignoringMac() : keys.sops();
        DecryptedDocument doc = decryptor.decrypt(SopsFile.parse(file.toString(), content, format));
        return extract == null ? doc.render() : doc.extract(extract);
    }

    private SecretsKeys keys() {
        Map<String, String> env = System.getenv();
        Optional<Settings> settings = settings(env);
        List<Path> age = new ArrayList<>(ageKeyFiles);
        List<Path> ssh = new ArrayList<>(sshKeys);
        List<Path> pgp = new ArrayList<>();
        Optional<VaultSession> vault = Optional.empty();
        if (settings.isPresent()) {
            age.addAll(settings.get().secrets().ageKeyFiles());
            ssh.addAll(settings.get().secrets().sshKeyPaths());
            pgp.addAll(settings.get().secrets().pgpKeyFiles());
            vault = settings.get().vault().map(v -> new VaultSession(v, CredentialResolver.fromProcess()));
        }
        return new SecretsKeys(age, ssh, pgp, env, vault);
    }

    private Optional<Settings> settings(Map<String, String> env) {
        SettingsLoader loader = new SettingsLoader(env);
        Path located = loader.locate(config);
        if (config == null && env.get("GITOPS_CONFIG") == null && !Files.isReadable(located)) {
            return Optional.empty();
        }
        return Optional.of(loader.load(located).settings());
    }

    private SopsFormat format() {
        if (inputType == null) {
            return SopsFormat.forFileName(file.getFileName().toString());
        }
        try {
            return SopsFormat.valueOf(inputType.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--input-type: expected yaml, json, dotenv, ini or binary, got \"" + inputType + "\"");
        }
    }

    private void report(long[] nanos, int inputBytes, int outputBytes) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double medianMs = sorted[sorted.length / 2] / 1e6;
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "decrypt x%d: first %.1f ms, median %.2f ms, min %.2f ms; %.1f MB/s of input"
                        + " (%d bytes in, %d bytes out)%n",
                nanos.length, nanos[0] / 1e6, medianMs, sorted[0] / 1e6, inputBytes / 1e6 / (medianMs / 1e3),
                inputBytes, outputBytes);
        err.flush();
    }
}
