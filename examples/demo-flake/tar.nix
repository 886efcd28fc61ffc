# Writes a one-directory tar archive with printf only, for builders that have nothing but /bin/sh.
let
  printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  codes = builtins.listToAttrs (builtins.genList (i: { name = builtins.substring i 1 printable; value = i + 32; })
    (builtins.stringLength printable)) // { "\n" = 10; "\t" = 9; };
  chars = s: builtins.genList (i: builtins.substring i 1 s) (builtins.stringLength s);
  sum = builtins.foldl' (a: b: a + b) 0;
  byteSum = s: sum (map (c: codes.${c}) (chars s));
  octal = n: if n < 8 then toString n else octal (n / 8) + toString (n - 8 * (n / 8));
  pad = width: s: let l = builtins.stringLength s; in
    if l >= width then s else builtins.concatStringsSep "" (builtins.genList (_: "0") (width - l)) + s;
  # header chunks: strings without NUL, and integers meaning that many NUL bytes
  field = width: s: [ s (width - builtins.stringLength s) ];
  numField = width: n: field width (pad (width - 1) (octal n));
  header = { name, mode, size, type }:
    let
      before = field 100 name ++ numField 8 mode ++ numField 8 0 ++ numField 8 0 ++ numField 12 size ++ numField 12 0;
      after = [ type ] ++ field 100 "" ++ [ "ustar" 1 "00" ] ++ field 32 "root" ++ field 32 "root"
        ++ numField 8 0 ++ numField 8 0 ++ field 155 "" ++ [ 12 ];
      strSum = l: sum (map (x: if builtins.isString x then byteSum x else 0) l);
      check = strSum before + strSum after + 8 * 32;
    in before ++ [ (pad 6 (octal check)) 1 " " ] ++ after;
  padTo512 = size: let r = size - 512 * (size / 512); in if r == 0 then [ ] else [ (512 - r) ];
  entry = f: header { name = f.name; mode = f.mode; size = builtins.stringLength f.text; type = "0"; }
    ++ [ f.text ] ++ padTo512 (builtins.stringLength f.text);
  q = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  emit = x: if builtins.isString x then (if x == "" then "" else "printf '%s' ${q x}\n")
    else "printf '${builtins.concatStringsSep "" (builtins.genList (_: "\\000") x)}'\n";
in
{ name, system, dir, files }:
derivation {
  name = "${name}.tar";
  inherit system;
  builder = "/bin/sh";
  args = [ "-c" ("exec > $out\n" + builtins.concatStringsSep "" (map emit (
    header { name = dir + "/"; mode = 493; size = 0; type = "5"; }
    ++ builtins.concatLists (map (f: entry (f // { name = dir + "/" + f.name; })) files)
    ++ [ 1024 ]))) ];
}
