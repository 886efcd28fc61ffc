# Pure helpers of the NixOS module (nix/module.nix), written with builtins only so that the test
# suite can evaluate them with a plain `nix-instantiate --eval`, without nixpkgs
# (src/test/java/org/gitopssync/packaging/ModuleLibTest.java).
let
  inherit (builtins)
    attrNames concatLists concatStringsSep elem elemAt filter genList head isAttrs isInt isList isPath
    isString length mapAttrs match removeAttrs storeDir stringLength substring toString;

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;

  # Keys whose value is a credential source wherever they appear in the configuration
  # (repository.credentials, repository.ssh.key, caches[].credentials, caches[].signing_key,
  # forges[].credentials, forges[].private_key, forges[].webhook_secret, vault.token,
  # vault.role_id, vault.secret_id, web.read_token, fleet.signing_key, fleet.releases_credentials).
  credentialKeys = [
    "credentials"
    "key"
    "signing_key"
    "private_key"
    "webhook_secret"
    "token"
    "role_id"
    "secret_id"
    "read_token"
    "releases_credentials"
  ];

  # Tables whose every value is a credential source, whatever its name (ci.store_env: variable
  # name -> source).
  credentialTables = [ "store_env" ];

  sourceKinds = [ "env" "file" "systemd-credential" "vault" "none" ];

  sourceForms = ''{ env = "NAME"; }, { file = "/run/keys/NAME"; }, { systemd-credential = "NAME"; } (with services.gitops.credentials.NAME), { vault = "mount/path#field"; } or "none"'';

  # "a.b[0].c": how settings paths are named in messages.
  child = path: name: if path == "" then name else "${path}.${name}";
  index = path: i: "${path}[${toString i}]";

  # Every value in a tree with its path: [ { path; name; value; credential; } ] (name is the last
  # key, or null for list elements; credential: a value of a credential table). Credential sources
  # are not descended into.
  leaves = path: name: v:
    [{ inherit path name; value = v; credential = false; }]
    ++ (
      if isAttrs v && elem name credentialTables then
        map (n: { path = child path n; name = n; value = v.${n}; credential = true; }) (attrNames v)
      else if isAttrs v && !(elem name credentialKeys) && (v.type or null) != "derivation" then
        concatLists (map (n: leaves (child path n) n v.${n}) (attrNames v))
      else if isList v then
        concatLists (genList (i: leaves (index path i) null (builtins.elemAt v i)) (length v))
      else [ ]
    );

  credentialLeaves = settings:
    filter (l: l.credential || l.name != null && elem l.name credentialKeys) (leaves "" null settings);

  inStore = s: hasPrefix "${storeDir}/" s;

  # What is wrong with one credential source, or null. Never echoes the value: it may be a secret.
  sourceProblem = path: v:
    if isString v then
      (if v == "none" then null
      else "services.gitops.settings.${path}: inline secret values are not allowed (the configuration file is in the world-readable Nix store, and the agent refuses them); write where the value comes from instead: ${sourceForms}")
    else if isPath v then
      "services.gitops.settings.${path}: a Nix path would copy the secret into the Nix store; use a credential source table: ${sourceForms}"
    else if !(isAttrs v) then
      "services.gitops.settings.${path}: expected a credential source table: ${sourceForms}"
    else if length (attrNames v) != 1 || !(elem (head (attrNames v)) sourceKinds) then
      "services.gitops.settings.${path}: a credential source has exactly one of ${concatStringsSep ", " sourceKinds}; got [ ${concatStringsSep " " (attrNames v)} ]"
    else
      let
        kind = head (attrNames v);
        x = v.${kind};
      in
      if kind == "env" then
        (if isString x && x != "" || isList x && x != [ ] && filter (n: !(isString n)) x == [ ] then null
        else "services.gitops.settings.${path}.env: expected a variable name or a non-empty list of them")
      else if kind == "file" then
        (if isPath x || isString x && inStore x then
          "services.gitops.settings.${path}.file: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string"
        else if isString x && hasPrefix "/" x then null
        else "services.gitops.settings.${path}.file: expected an absolute path (a string)")
      else if kind == "systemd-credential" then
        (if isString x && match "[A-Za-z0-9_.@-]+" x != null && x != "." && x != ".." then null
        else "services.gitops.settings.${path}.systemd-credential: expected a credential name (letters, digits, '_', '.', '@', '-')")
      else if kind == "vault" then
        (if isString x && match "[^#]+#[^#]+" x != null then null
        else "services.gitops.settings.${path}.vault: expected \"mount/path#field\"")
      else null;

  # Strings anywhere in the settings that carry a password in a URL (scheme://user:password@host).
  urlPasswordProblems = settings:
    map (l: "services.gitops.settings.${l.path}: a URL with a password in it would end up in the world-readable Nix store and in process lists; put the secret in a credential source (e.g. repository.credentials) and leave it out of the URL")
      (filter (l: isString l.value && match "[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:[^/@]*@.*" l.value != null)
        (leaves "" null settings));

  # Nix settings that hold secrets themselves (not paths to them).
  secretNixOptions = [ "access-tokens" ];

  nixOptionProblems = settings:
    let options = ((settings.nix or { }).options or { }); in
    map (n: "services.gitops.settings.nix.options.${n}: this Nix setting holds the secret itself and would be stored in the world-readable Nix store; set it through services.gitops.environmentFile instead (a line NIX_CONFIG=\"${n} = ...\")")
      (filter (n: elem n secretNixOptions) (attrNames options));

  lowerChars = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  upperChars = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  toUpper = builtins.replaceStrings lowerChars upperChars;
in
rec {
  inherit credentialKeys hasPrefix;

  # Removes nulls (TOML has none) and tables left empty by that, through attribute sets and lists.
  # Empty lists stay: `age_key_files = [ ]` means "none", which differs from leaving it out.
  clean = v:
    if isAttrs v then
      let
        cleaned = mapAttrs (_: clean) v;
      in
      removeAttrs cleaned (filter (n: cleaned.${n} == null || cleaned.${n} == { }) (attrNames cleaned))
    else if isList v then
      map clean (filter (x: x != null) v)
    else v;

  # Messages for every credential source that is inline, malformed, or points into the Nix store,
  # for URLs with passwords, and for Nix settings that are secrets: one assertion each.
  # What the daemon refuses to start with (config/DaemonRequirements.java), so that the module
  # fails at evaluation instead of leaving a unit in a restart loop.
  daemonProblems = settings:
    let
      forges = settings.forges or [ ];
      insecure = (settings.security or { }).allow_insecure_webhooks or false;
    in
    if !((settings.web or { }).enable or false) || insecure then [ ]
    else concatLists (genList
      (i:
        if ((elemAt forges i).webhook_secret or "none") == "none" then
          [ "services.gitops.settings.forges[${toString i}].webhook_secret: required when settings.web.enable = true (the daemon's webhook listener refuses to start without a secret; set settings.security.allow_insecure_webhooks = true only for local development)" ]
        else [ ])
      (length forges));

  # What the agent refuses in [fleet] (config/FleetSettings.java, SettingsLoader's wave checks), so
  # that a host or builder fails at evaluation instead of at its first cycle.
  fleetProblems = settings:
    let
      fleet = settings.fleet or { };
      role = fleet.role or "standalone";
      after = fleet.after or [ ];
      hostname = settings.hostname or null;
      problem = cond: message: if cond then [ "services.gitops.settings.fleet.${message}" ] else [ ];
    in
    problem (role != "standalone" && !(fleet ? releases))
      "releases: required for role = \"${role}\": where release records are kept (\"file:///srv/releases\" or \"https://...\")"
    ++ problem (role == "builder" && (fleet.signing_key or "none") == "none")
      "signing_key: required for role = \"builder\": the Ed25519 key release records are signed with (a `nix key generate-secret` file), e.g. { systemd-credential = \"release-key\"; } with services.gitops.credentials.release-key"
    ++ problem (role == "host" && (fleet.trusted_keys or [ ]) == [ ])
      "trusted_keys: required for role = \"host\": the builders' public keys (`nix key convert-secret-to-public`), e.g. [ \"builder-1:...\" ]"
    ++ problem (after != [ ] && (settings.forges or [ ]) == [ ])
      "after: waves read the forge's deploy statuses, but settings.forges is empty: add the forge the hosts report to"
    ++ problem (hostname != null && elem hostname after)
      "after: lists this host (${toString hostname}); a host cannot wait for its own deploy";

  # services.gitops.javaOptions come after the package's flags, which run C1 only with one compiler thread: the JVM
  # refuses to start with C2 back on (-XX:TieredStopAtLevel=4, the last such option wins) and one compiler thread.
  javaOptionsProblems = options:
    let
      levels = filter (o: match "-XX:TieredStopAtLevel=[0-9]+" o != null) options;
      c2 = levels != [ ] && elemAt levels (length levels - 1) == "-XX:TieredStopAtLevel=4";
      counted = filter (o: match "-XX:CICompilerCount=[0-9]+" o != null) options != [ ];
    in
    if c2 && !counted then
      [ "services.gitops.javaOptions: -XX:TieredStopAtLevel=4 lets C2 compile, and the JVM refuses that with the package's one compiler thread (-XX:CICompilerCount=1): add \"-XX:CICompilerCount=2\"" ]
    else [ ];

  # { vault = ...; } credential sources need a [vault] section (the agent refuses them otherwise).
  vaultProblems = settings:
    if (settings.vault or { }) ? address then [ ]
    else map (l: "services.gitops.settings.${l.path}: reads Vault (${l.value.vault}), but settings.vault.address is not set")
      (filter (l: isAttrs l.value && l.value ? vault) (credentialLeaves settings));

  secretProblems = settings:
    filter (m: m != null) (map (l: sourceProblem l.path l.value) (credentialLeaves settings))
    ++ urlPasswordProblems settings
    ++ nixOptionProblems settings;

  # { path; name; } for every `{ systemd-credential = "name"; }` in the settings.
  systemdCredentialRefs = settings:
    map (l: { inherit (l) path; name = l.value.systemd-credential; })
      (filter (l: isAttrs l.value && l.value ? systemd-credential && isString l.value.systemd-credential)
        (credentialLeaves settings));

  # What is wrong with a path to a secret file that must stay outside the Nix store, or null.
  secretPathProblem = option: p:
    if isPath p || isString p && inStore p then
      "${option}: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string"
    else if !(isString p && hasPrefix "/" p) then
      "${option}: expected an absolute path (a string)"
    else null;

  # Problems with services.gitops.credentials (name -> path): LoadCredential=NAME:PATH.
  credentialFileProblems = credentials:
    filter (m: m != null) (concatLists (map
      (name: [
        (if match "[A-Za-z0-9_.@-]+" name == null || name == "." || name == ".." then
          "services.gitops.credentials.\"${name}\": not a valid credential name (letters, digits, '_', '.', '@', '-')"
        else null)
        (secretPathProblem "services.gitops.credentials.${name}" credentials.${name})
      ])
      (attrNames credentials)));

  # Whether a timer frequency is a time span ("5min", "1h 30m", "300") rather than a calendar
  # expression ("*:0/5", "hourly", "Mon *-*-* 04:00").
  isTimeSpan = s: match "[[:space:]]*([0-9]+(\\.[0-9]+)?[[:space:]]*[a-z]*[[:space:]]*)+" s != null;

  # The [Timer] section for services.gitops.frequency: a calendar expression becomes OnCalendar
  # (with Persistent, so a run missed while the machine was off happens at boot); a time span
  # becomes OnBootSec + OnUnitActiveSec (Persistent only applies to OnCalendar).
  timerConfig = { frequency, randomizedDelaySec, persistent }:
    (if isTimeSpan frequency then {
      OnBootSec = frequency;
      OnUnitActiveSec = frequency;
    } else {
      OnCalendar = frequency;
      Persistent = persistent;
    })
    // (if randomizedDelaySec == null then { } else { RandomizedDelaySec = randomizedDelaySec; });

  # TimeoutStopSec for the unit: an activation that is under way when the agent is stopped is
  # allowed to finish, and a failed one is rolled back, each bounded by deploy.activation_timeout;
  # then a margin for recording the cycle and the JVM's own shutdown. systemd adds up the parts
  # of a time span ("30m 30m 5min" is 65 minutes), and the agent writes durations the same way.
  stopTimeout = activationTimeout:
    if isInt activationTimeout then "${toString (2 * activationTimeout)}s 5min"
    else "${activationTimeout} ${activationTimeout} 5min";

  # The directory node-exporter's textfile collector reads, as its NixOS options name it:
  # extraFlags "--collector.textfile.directory=DIR", "--collector.textfile.directory DIR" or the
  # two elements "--collector.textfile.directory" "DIR", or enabledCollectors "textfile.directory=DIR"
  # (it becomes the same flag). The first one named, or null.
  textfileDirectory = { extraFlags ? [ ], enabledCollectors ? [ ] }:
    let
      flag = "--collector.textfile.directory";
      inOne = f: match "[[:space:]]*--collector[.]textfile[.]directory[= ][[:space:]]*([^[:space:]]+)[[:space:]]*" f;
      inTwo = genList (i: if elemAt extraFlags i == flag then [ (elemAt extraFlags (i + 1)) ] else null)
        (if extraFlags == [ ] then 0 else length extraFlags - 1);
      inCollector = c: match "textfile[.]directory=([^[:space:]]+)" c;
      found = filter (m: m != null) (map inOne extraFlags ++ inTwo ++ map inCollector enabledCollectors);
    in
    if found == [ ] then null else head (head found);

  # Environment variable names that look like they hold secrets.
  secretLookingNames = names:
    filter (n: match ".*(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|APIKEY|API_KEY|CREDENTIAL).*" (toUpper n) != null) names;
}
