# Builds a zip quine: a zip whose one member, inflated, is the zip itself,
# so opening it never ends on its own. Deflate can say two things: "the
# next n bytes are literal" (a stored block, L) and "repeat the last n bytes"
# (a fixed-Huffman block of copies, R). With both the same length, a program of
# L and R that prints a prefix, itself and a suffix exists (opcodes are
# padded to one size with empty fixed-Huffman blocks); the prefix is the
# local header, the suffix the central directory, and the CRC-32 that must
# cover the file holding it is found by solving a linear system over GF(2)
# (CRC-32 is affine in its input bits).
# usage: zip_quine.py OUT.zip
import functools, struct, sys, zlib

U = 5  # bytes per opcode (main() tries a few sizes)
LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
         115, 131, 163, 195, 227, 258]
LEXTRA = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
         1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
DEXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
          12, 13, 13]


class Bits:
    def __init__(self):
        self.bits = []

    def put(self, value, n):  # LSB first (header fields, extra bits)
        self.bits += [(value >> i) & 1 for i in range(n)]

    def code(self, value, n):  # Huffman codes go MSB first
        self.bits += [(value >> (n - 1 - i)) & 1 for i in range(n)]

    def lit_len(self, sym):
        if sym < 144:
            self.code(0x30 + sym, 8)
        elif sym < 256:
            self.code(0x190 + sym - 144, 9)
        elif sym < 280:
            self.code(sym - 256, 7)
        else:
            self.code(0xC0 + sym - 280, 8)

    def copy(self, length, dist):
        i = max(k for k in range(29) if LBASE[k] <= length)
        self.lit_len(257 + i)
        self.put(length - LBASE[i], LEXTRA[i])
        j = max(k for k in range(30) if DBASE[k] <= dist)
        self.code(j, 5)
        self.put(dist - DBASE[j], DEXTRA[j])

    def bytes(self):
        out = bytearray()
        for k in range(0, len(self.bits), 8):
            out.append(sum(b << i for i, b in enumerate(self.bits[k:k + 8])))
        return bytes(out)


def empty_blocks(b, k, final=0):
    for i in range(k):
        b.put(final if i == k - 1 else 0, 1)
        b.put(1, 2)
        b.lit_len(256)


@functools.lru_cache(maxsize=None)
def lit(n):
    """The next n bytes are literal, in exactly U bytes: empty fixed blocks,
    then a stored block's header."""
    for k in range(8):
        b = Bits()
        empty_blocks(b, k)
        b.put(0, 3)
        b.bits += [0] * (-len(b.bits) % 8)
        out = b.bytes() + struct.pack('<HH', n, n ^ 0xFFFF)
        if len(out) == U:
            return out
    return None


@functools.lru_cache(maxsize=None)
def rep(n, final=0):
    """Repeat the last n bytes in exactly U bytes, or None."""
    if n > 32768:
        return None
    splits = [[n]] + [[a, n - a] for a in range(3, n - 2)]
    if n <= 64:
        splits += [[a, b, n - a - b] for a in range(3, n) for b in range(3, n - a - 2)]
    for empty in range(4):
        for parts in splits:
            if any(p < 3 or p > 258 for p in parts):
                continue
            b = Bits()
            b.put(final if not empty else 0, 1)
            b.put(1, 2)  # fixed Huffman
            for p in parts:
                b.copy(p, n)
            b.lit_len(256)
            empty_blocks(b, empty, final)
            if len(b.bits) == 8 * U:
                return b.bytes()
    return None


def build(name, comment, crc):
    p = 30 + len(name)
    s = 46 + len(name) + 22 + len(comment)
    Lp, Rp = lit(p + U), rep(p + U)
    Ls, Rs, Rsf = lit(s + U), rep(s + U), rep(s + U, 1)
    L1, L4, R4, L0 = lit(U), lit(4 * U), rep(4 * U), lit(0)
    # the stream's length does not depend on the headers' contents
    clen = 30 * U + p + s  # thirty opcodes, the prefix and the suffix
    ulen = p + clen + s

    def local():
        return struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0x21, crc, clen, ulen,
                           len(name), 0) + name

    def central():
        cd = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc, clen,
                         ulen, len(name), 0, 0, 0, 0, 0, 0) + name
        return cd + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(cd), p + clen,
                                len(comment)) + comment

    P, S = local(), central()
    stream = (Lp + P + Lp + Rp + L1 + Rp + L1 + L1 + L4 + Rp + L1 + L1 + L4 + R4 +
              L4 + R4 + L4 + R4 + L4 + R4 + L4 + R4 + L0 + L0 + Ls + R4 + L0 + L0 + Ls +
              Rsf + S + Rsf)
    assert len(stream) == clen, (len(stream), clen)
    return P + stream + S


def solve_crc(name, comment):
    base = zlib.crc32(build(name, comment, 0))
    cols = [zlib.crc32(build(name, comment, 1 << i)) ^ base for i in range(32)]
    # x = base ^ sum(x_i * cols[i])  <=>  sum(x_i * (cols[i] ^ e_i)) = base
    rows = []  # Gaussian elimination over GF(2), one 33-bit row per equation bit
    for bit in range(32):
        r = 0
        for i in range(32):
            if ((cols[i] ^ (1 << i)) >> bit) & 1:
                r |= 1 << i
        rows.append(r | (((base >> bit) & 1) << 32))
    x, piv = 0, []
    for col in range(32):
        k = next((k for k in range(len(piv), 32) if (rows[k] >> col) & 1), None)
        if k is None:
            return None
        i = len(piv)
        rows[i], rows[k] = rows[k], rows[i]
        for j in range(32):
            if j != i and (rows[j] >> col) & 1:
                rows[j] ^= rows[i]
        piv.append(col)
    for i, col in enumerate(piv):
        x |= ((rows[i] >> 32) & 1) << col
    return x


def main():
    global U
    for U in (5, 6, 7, 9, 10, 11):
        lit.cache_clear()
        rep.cache_clear()
        for extra in range(0, 48 * 8):
            name = b'q' * (1 + extra % 48) + b'.zip'
            comment = b'c' * (extra // 48)
            p, s = 30 + len(name), 68 + len(name) + len(comment)
            if not (lit(0) and rep(4 * U) and rep(p + U) and rep(s + U) and rep(s + U, 1)):
                continue
            crc = solve_crc(name, comment)
            if crc is None:
                continue
            data = build(name, comment, crc)
            if zlib.crc32(data) == crc and zlib.decompress(data[p:len(data) - s], -15) == data:
                open(sys.argv[1], 'wb').write(data)
                return 0
    print('zip_quine.py: no quine found', file=sys.stderr)
    return 1


sys.exit(main())
