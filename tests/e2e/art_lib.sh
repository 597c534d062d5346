# shellcheck shell=sh
# Helpers for the archive, image and decoding e2e scripts (after lib.sh):
# archives are built at test time with python3 and bsdtar, and the secret
# inside them is assembled at run time so this repository holds none.
# akia N: a distinct AWS-style access key id per N (1..9)
akia() { printf 'AKIA%s%s' "QWERTYUIOPASD2" "$(printf '%s' "$1" | tr '1-9' 'BCDEFGHJK')Z"; }
# sgscan ARGS...: secretgate scan with the default rules and no config
sgscan() { "$SG" scan --no-config "$@"; }
# py SCRIPT ARGS...: run python3 in $T
py() { (cd "$T" && python3 - "$@"); }
