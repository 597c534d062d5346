# Builds container images for test_artefacts_image.sh: a docker-save tarball
# (legacy layout), an OCI image layout as a tarball and as a directory.
# Layer 1 adds files, layer 2 deletes two of them (a whiteout and an opaque
# directory), layer 3 adds another; the config's Env and history carry keys.
# usage: img_build.py OUTDIR KEY1 KEY2 KEY3 KEY4 KEY5
import gzip, hashlib, io, json, os, sys, tarfile

out, k1, k2, k3, k4, k5 = sys.argv[1:7]


def tar_of(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w', format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


layers = [
    tar_of([('etc/app/secret.env', ('AWS_KEY=%s\n' % k1).encode()),
            ('opt/tool/cfg.txt', ('key = %s\n' % k2).encode()),
            ('usr/bin/tool', b'#!/bin/sh\necho hi\n')]),
    tar_of([('etc/app/.wh.secret.env', b''), ('opt/tool/.wh..wh..opq', b'')]),
    tar_of([('srv/app/config.yml', ('aws:\n  key: %s\n' % k3).encode())]),
]
diff_ids = ['sha256:' + hashlib.sha256(l).hexdigest() for l in layers]
config = json.dumps({
    'architecture': 'amd64', 'os': 'linux',
    'config': {'Env': ['PATH=/usr/bin', 'AWS_ACCESS_KEY_ID=%s' % k4], 'Labels': {'team': 'x'}},
    'history': [{'created_by': '/bin/sh -c #(nop) ARG DEPLOY_KEY=%s' % k5}, {'created_by': 'rm'},
                {'created_by': 'COPY config.yml /srv/app/'}],
    'rootfs': {'type': 'layers', 'diff_ids': diff_ids},
}).encode()
cfg_hex = hashlib.sha256(config).hexdigest()


def write_tar(path, members):
    with tarfile.open(path, 'w') as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))


# docker save (legacy): <id>/layer.tar, <config>.json, manifest.json last
ids = [hashlib.sha256(b'id%d' % i).hexdigest() for i in range(3)]
members = []
for i, l in enumerate(layers):
    members += [(ids[i] + '/VERSION', b'1.0'), (ids[i] + '/json', b'{}'), (ids[i] + '/layer.tar', l)]
members.append((cfg_hex + '.json', config))
manifest = json.dumps([{'Config': cfg_hex + '.json', 'RepoTags': ['app:1'],
                        'Layers': [i + '/layer.tar' for i in ids]}]).encode()
members += [('manifest.json', manifest), ('repositories', b'{}')]
write_tar(os.path.join(out, 'docker.tar'), members)

# OCI layout: gzipped layer blobs, a manifest, an index
blobs = {}
def blob(data):
    h = hashlib.sha256(data).hexdigest()
    blobs[h] = data
    return {'digest': 'sha256:' + h, 'size': len(data)}
gz = [gzip.compress(l, mtime=0) for l in layers]
cfg_desc = blob(config)
cfg_desc['mediaType'] = 'application/vnd.oci.image.config.v1+json'
ldesc = []
for g in gz:
    d = blob(g)
    d['mediaType'] = 'application/vnd.oci.image.layer.v1.tar+gzip'
    ldesc.append(d)
man = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                  'config': cfg_desc, 'layers': ldesc}).encode()
mdesc = blob(man)
mdesc['mediaType'] = 'application/vnd.oci.image.manifest.v1+json'
index = json.dumps({'schemaVersion': 2, 'manifests': [mdesc]}).encode()
oci = [('oci-layout', b'{"imageLayoutVersion": "1.0.0"}'), ('index.json', index)]
oci += [('blobs/sha256/' + h, d) for h, d in blobs.items()]
write_tar(os.path.join(out, 'oci.tar'), oci)
d = os.path.join(out, 'oci-dir')
for name, data in oci:
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data)
print(' '.join(['sha256:' + hashlib.sha256(g).hexdigest() for g in gz]))
print(' '.join(diff_ids))
