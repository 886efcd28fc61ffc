# The fixed-output hash of the Maven dependencies of nix/package.nix (the local repository that
# `mvn package` fills from Maven Central). Written by nix/update-mvn-hash.sh; run it after every
# change to pom.xml.
#
# PLACEHOLDER: this is lib.fakeHash. It has never been computed, because the machine this file
# was written on has no nixpkgs and no network to run the fixed-output build. The first build on
# a networked machine must run nix/update-mvn-hash.sh (until then every build stops with a hash
# mismatch that names the real hash).
"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
