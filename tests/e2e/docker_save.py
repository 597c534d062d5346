# A `docker save` tarball (legacy layout) from layer tars, for the image
# tests and the image benchmark: <n>/layer.tar for each layer, the config
# (its rootfs diff ids filled in) and manifest.json last.
import hashlib, io, json, tarfile


def save(path, layers, config):
    config = dict(config)
    config['rootfs'] = {'type': 'layers',
                        'diff_ids': ['sha256:' + hashlib.sha256(l).hexdigest() for l in layers]}
    cfg = json.dumps(config).encode()
    ch = hashlib.sha256(cfg).hexdigest()
    names = ['%064x/layer.tar' % i for i in range(len(layers))]
    manifest = json.dumps([{'Config': ch + '.json', 'Layers': names}]).encode()
    with tarfile.open(path, 'w') as t:
        for name, data in list(zip(names, layers)) + [(ch + '.json', cfg), ('manifest.json', manifest)]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
