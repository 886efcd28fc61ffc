package org.gitopssync.secrets.sops;

import java.util.Locale;

/** The file formats sops stores; each decrypts to what {@code sops -d} prints for it. */
public enum SopsFormat {
    YAML, JSON, DOTENV, INI, BINARY;

    /** By extension, as sops does: .yaml/.yml, .json, .env, .ini, anything else is binary. */
    public static SopsFormat forFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".env")) {
            return DOTENV;
        }
        if (name.endsWith(".ini")) {
            return INI;
        }
        return BINARY;
    }
}
