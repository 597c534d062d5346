#!/bin/sh
# Container images: a docker-save tarball, an OCI layout tarball and an OCI
# layout directory. Every layer's files, the config (Env, history) and the
# manifest are scanned; each finding names its layer and digest, and a file
# a later layer deletes is still reported, saying so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 2
K1=$(akia 1) K2=$(akia 2) K3=$(akia 3) K4=$(akia 4) K5=$(akia 5)
python3 "$HERE/img_build.py" "$T" "$K1" "$K2" "$K3" "$K4" "$K5" >digests || exit 2
GZ1=$(sed -n 1p digests | cut -d' ' -f1) GZ3=$(sed -n 1p digests | cut -d' ' -f3)
DIFF1=$(sed -n 2p digests | cut -d' ' -f1) DIFF3=$(sed -n 2p digests | cut -d' ' -f3)

for img in docker.tar oci.tar oci-dir; do
	expect_rc 1 sgscan --format jsonl "$img"
	n=$(printf '%s\n' "$OUT" | grep -c '"rule"')
	[ "$n" -eq 5 ] || fail "$img: $n findings, wanted 5: $OUT"
	for k in "$K1" "$K2" "$K3" "$K4" "$K5"; do lacks "$OUT" "$k"; done
	# the deleted files still ship: reported with the layer that added them
	contains "$OUT" '/etc/app/secret.env","line":1'
	contains "$OUT" "image layer 1 of 3"
	contains "$OUT" "deleted by layer 2 (whiteout) but still shipped in the image"
	contains "$OUT" '/opt/tool/cfg.txt","line":1'
	# the last layer's file is not hidden
	contains "$OUT" '/srv/app/config.yml","line":2'
	contains "$OUT" "image layer 3 of 3"
	# Env and history of the config
	contains "$OUT" "in the image config (Env, Labels or history)"
done
# layer digests: compressed blobs by their own digest, docker-save layers by diff id
expect_rc 1 sgscan oci.tar
contains "$OUT" "($GZ1); deleted by layer 2"
contains "$OUT" "image layer 3 of 3 ($GZ3)"
contains "$OUT" "oci.tar!/blobs/sha256/${GZ1#sha256:}!/etc/app/secret.env:1:"
expect_rc 1 sgscan docker.tar
contains "$OUT" "($DIFF1); deleted by layer 2"
contains "$OUT" "image layer 3 of 3 ($DIFF3)"
expect_rc 1 sgscan oci-dir
contains "$OUT" "oci-dir/blobs/sha256/${GZ3#sha256:}!/srv/app/config.yml:2:"
# the directory is one image: its blobs are not scanned a second time as files
n=$(printf '%s\n' "$OUT" | grep -c 'AKIA')
[ "$n" -eq 5 ] || fail "oci-dir scanned twice: $OUT"

# a layout inside a tree is known by its entries and scanned as one image;
# a link named oci-layout makes no image of its directory
mkdir -p tree/sub tree/plain
cp -r oci-dir tree/sub/img
printf 'x\n' >tree/plain/target
ln -s target tree/plain/oci-layout
printf 'aws_access_key_id = %s\n' "$(akia 6)" >tree/plain/key.txt
expect_rc 1 sgscan --format jsonl tree
n=$(printf '%s\n' "$OUT" | grep -c '"rule"')
[ "$n" -eq 6 ] || fail "tree with a layout: $n findings, wanted 6: $OUT"
contains "$OUT" "tree/sub/img/blobs/sha256/${GZ3#sha256:}!/srv/app/config.yml"
contains "$OUT" '"path":"tree/plain/key.txt"'

# a compressed image tarball is an image too (the compression is transparent)
gzip -c docker.tar >docker.tar.gz
expect_rc 1 sgscan docker.tar.gz
contains "$OUT" "docker.tar.gz!/"
contains "$OUT" "deleted by layer 2 (whiteout)"
finish
