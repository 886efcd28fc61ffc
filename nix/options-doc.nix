# The options reference of docs/nixos.md, generated from nix/module.nix.
#
# It is rendered without nixpkgs (the project's test suite runs where there is none): the module
# is called with a minimal stand-in for nixpkgs' `lib` that implements only what option
# declarations use (mkOption, mkEnableOption, literalExpression and the types), so that type,
# default and description come from the declarations themselves. Nothing here is used to build
# or run anything.
#
#   nix-instantiate --eval --json nix/options-doc.nix        (a JSON string of Markdown)
#   nix/update-options-doc.sh                                 (rewrites the section in docs/nixos.md)
#   OptionsDocTest                                            (fails when the section is stale)
let
  inherit (builtins) attrNames concatLists concatStringsSep filter head isAttrs isBool isFunction
    isInt isList isString length map replaceStrings split toJSON toString;

  type = description: extra: { _type = "type"; inherit description; } // extra;
  quote = s: "\"${s}\"";

  types = {
    str = type "string" { };
    path = type "path" { };
    package = type "package" { };
    bool = type "boolean" { };
    port = type "16 bit unsigned integer (port)" { };
    attrsOf = t: type "attribute set of ${t.description}" { };
    listOf = t: type "list of ${t.description}" (if t ? sub then { sub = t.sub; subPrefix = "*."; } else { });
    nullOr = t: type "null or ${t.description}" (if t ? sub then { inherit (t) sub; subPrefix = t.subPrefix or ""; } else { });
    either = a: b: type "${a.description} or ${b.description}" { };
    oneOf = ts: type (concatStringsSep " or " (map (t: t.description) ts)) { };
    enum = vs: type "one of ${concatStringsSep ", " (map quote vs)}" { };
    strMatching = re: type "string matching the pattern ${re}" { };
    ints = {
      between = lo: hi: type "integer between ${toString lo} and ${toString hi} (both inclusive)" { };
      positive = type "positive integer" { };
      unsigned = type "unsigned integer" { };
    };
    submodule = m:
      let module = if isFunction m then m { } else m; in
      type "submodule" { sub = module.options or { }; subPrefix = ""; };
  };

  lib = {
    inherit types;
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption = name: {
      _type = "option";
      type = types.bool;
      default = false;
      example = true;
      description = "Whether to enable ${name}.";
    };
    literalExpression = text: { _type = "literalExpression"; inherit text; };
  };

  pkgs = {
    formats.toml = _: { type = type "TOML value" { }; };
  };

  module = import ./module.nix {
    inherit lib pkgs;
    config = throw "options-doc: an option's default reads config; give it a defaultText";
    options = { };
  };

  # Nix syntax for a default value.
  show = v:
    if v == null then "null"
    else if isBool v then (if v then "true" else "false")
    else if isInt v then toString v
    else if isString v then toJSON v
    else if isList v then (if v == [ ] then "[ ]" else "[ ${concatStringsSep " " (map show v)} ]")
    else if isAttrs v && v._type or null == "literalExpression" then v.text
    else if isAttrs v then
      (if v == { } then "{ }" else "{ ${concatStringsSep " " (map (n: "${n} = ${show v.${n}};") (attrNames v))} }")
    else toString v;

  # Options as a flat list: { path; option; }, in alphabetical order within each level, a
  # submodule's options right after the option that holds them.
  flatten = prefix: options:
    concatLists (map
      (name:
        let
          o = options.${name};
          path = "${prefix}${name}";
        in
        if o._type or null == "option" then
          [{ inherit path; option = o; }]
          ++ (if o.type ? sub then flatten "${path}.${o.type.subPrefix or ""}" o.type.sub else [ ])
        else flatten "${path}." o)
      (attrNames options));

  oneLine = s: concatStringsSep " " (filter (x: isString x && x != "") (split "[[:space:]]+" s));
  cell = s: replaceStrings [ "|" ] [ "\\|" ] (oneLine s);

  defaultOf = o:
    if o ? defaultText then show o.defaultText
    else if o ? default then show o.default
    else "required";

  row = { path, option }:
    "| `${path}` | ${cell option.type.description} | `${cell (defaultOf option)}` | ${cell (option.description or "")}${if option.readOnly or false then " (read-only)" else ""} |";

  all = flatten "services.gitops." module.options.services.gitops;
in
concatStringsSep "\n" ([
  "| option | type | default | description |"
  "|---|---|---|---|"
] ++ map row all) + "\n"
