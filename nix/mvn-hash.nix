# The fixed-output hash of the Maven dependencies of nix/package.nix (the local repository that
# `mvn package` fills from Maven Central). Recompute it after every change to pom.xml:
# nix/update-mvn-hash.sh (with nixpkgs: reads the hash from Nix's mismatch message), or
# nix/mvn-hash-local.sh (without nixpkgs: replays buildMavenPackage's fetch step twice with the
# Maven wrapper and takes the NAR hash; this value was computed that way).
"sha256-C2vZuyuDniCjIphc2A60iMalU4KtOUMXPdMzLD56xfE="
