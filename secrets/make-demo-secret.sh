#!/usr/bin/env bash
# Regenerates the demo secret examples/demo-flake/secrets/demo.yaml, encrypted to the DEMO-ONLY age key in
# this directory, with the project's own test-scope sops encryptor (SopsFiles), then checks it two ways:
# the data key opens with the real `age` CLI, and `gitops-sync secrets decrypt` prints the values.
#   secrets/make-demo-secret.sh            # keep the key, re-encrypt the demo file
#   secrets/make-demo-secret.sh --new-key  # also make a new demo key with age-keygen
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
key=secrets/DEMO-ONLY-age.key
out=examples/demo-flake/secrets/demo.yaml

if [ "${1:-}" = --new-key ] || [ ! -f "$key" ]; then
  generated=$(age-keygen 2>/dev/null)
  {
    echo "# DEMO ONLY — never use for real secrets."
    echo "# This key is public (it is in the gitops-sync repository). It decrypts only the demo secret"
    echo "# examples/demo-flake/secrets/demo.yaml, which \`gitops-sync demo\` installs under .demo/secrets."
    echo "$generated"
  } > "$key"
fi
recipient=$(sed -n 's/^# public key: //p' "$key")

./mvnw -o -q test-compile
./mvnw -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.gitopssync.secrets.sops.SopsFiles demo "$recipient" "$out"

# the data key in the metadata opens with the real age CLI: 32 bytes
blob=$(awk '/enc: \|/{on=1; next} on && /-----END AGE ENCRYPTED FILE-----/{print; exit} on{print}' "$out" | sed 's/^ *//')
bytes=$(printf '%s\n' "$blob" | age -d -i "$key" | wc -c)
[ "$bytes" -eq 32 ] || { echo "data key did not open with age (got $bytes bytes)" >&2; exit 1; }
bin/gitops-sync secrets decrypt --age-key-file "$key" "$out" >/dev/null
echo "wrote $out (recipient $recipient); the data key opens with age and gitops-sync decrypts it"
