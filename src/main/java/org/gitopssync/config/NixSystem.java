package org.gitopssync.config;

import java.util.Locale;

/** The Nix platform string of this machine ({@code x86_64-linux}, {@code aarch64-linux}). */
public final class NixSystem {

    private NixSystem() {
    }

    public static String current() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "i686";
            default -> arch;
        };
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        return cpu + "-" + os;
    }
}
