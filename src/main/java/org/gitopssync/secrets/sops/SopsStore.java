package org.gitopssync.secrets.sops;

import java.util.List;

/** Reads one file format into sops trees and writes decrypted trees back the way sops prints them. */
interface SopsStore {

    /** The documents without their metadata, and the metadata rebuilt as a nested branch. */
    record Loaded(List<SopsBranch> branches, SopsBranch metadata) {
    }

    Loaded load(String fileName, byte[] content);

    /** What {@code sops -d} prints for the whole (decrypted) tree. */
    byte[] emit(List<SopsBranch> branches);

    /** What {@code sops -d --extract} prints for a non-string, non-mapping value. */
    byte[] emitValue(Object value);

    static SopsStore forFormat(SopsFormat format) {
        return switch (format) {
            case YAML -> new YamlStore();
            case JSON -> new JsonStore();
            case DOTENV -> new DotenvStore();
            case INI -> new IniStore();
            case BINARY -> new BinaryStore();
        };
    }
}
