#!/usr/bin/python3
"""Writes hostile input files (crashing images, memory bombs, bad headers) into a folder.

    /usr/bin/python3 tests/hostile_inputs.py OUT_DIR

Each is a few bytes to a few hundred KB, made here rather than committed: tests/test_cli_hardening.sh
feeds them to the CLI; tests/fuzz/regressions/ holds copies of the small ones for the fuzzers.
"""
import struct
import sys
import zlib
from pathlib import Path


def png_chunk(kind, data, length=None):
    length = len(data) if length is None else length
    return struct.pack(">I", length) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, color_type, bit_depth, raw, idat_length=None):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
            png_chunk(b"IDAT", zlib.compress(raw, 9), idat_length) + png_chunk(b"IEND", b""))


def npy(header, data=b"", version=1):
    header = header.encode("latin1")
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(header)) + header + data


def npy_dict(shape):
    return "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }\n" % shape


def files():
    # Images: crashes and memory bombs in stb_image before the fix.
    yield "pgm16.pgm", b"P5\n4 4\n65535\n" + bytes(32)                              # 16-bit PGM: over-read
    yield "ppm16.ppm", b"P6\n2 2\n65535\n" + bytes(24)
    yield "idat-2g.png", png(1, 1, 2, 8, b"\x00\x00\x00\x00", idat_length=0x80000000)  # reason NULL
    gif = (b"GIF89a" + struct.pack("<HH", 16000, 16000) + b"\x00\x00\x00" +
           b"," + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00\x02\x02\x44\x01\x00;")
    yield "screen-16000.gif", gif                                                      # 3.2 GB before
    yield "huge.psd", (b"8BPS" + struct.pack(">H", 1) + bytes(6) + struct.pack(">HIIHH", 3, 30000, 30000, 8, 3) +
                       bytes(4) + bytes(4) + bytes(4) + struct.pack(">H", 0))[:40]     # 5 GB before
    yield "huge.ppm", b"P6\n30000 30000\n255\n" + bytes(119 - 19)                    # 5.3 GB before
    yield "strip-1x5000.png", png(1, 5000, 0, 8, b"\x00\x80" * 5000)                 # 3.6 GB with --json
    yield "pixels-81mp.png", png_81mp()                                                # over 64 MP
    yield "zlib-bomb.png", png(1, 1, 2, 8, bytes(64 << 20))                            # 64 MiB from a 1×1 header
    yield "huge.bmp", (b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) +
                       struct.pack("<IiiHHIIiiII", 40, 30000, 30000, 1, 24, 0, 0, 0, 0, 0, 0))
    # .npy: stack overflow, UB and an 11 GB allocation before the fix.
    long_string = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': '" + "a" * 100_000 + "'}\n"
    yield "header-100k.npy", npy(long_string, version=2)
    yield "zero-dim.npy", npy(npy_dict("(1, 0, 28, 28)"))
    yield "overflow.npy", npy(npy_dict("(4294967296, 4294967296, 784)"), bytes(784 * 4))
    yield "digits-30.npy", npy(npy_dict("(1, 123456789012345678901234567890, 28)"), bytes(28 * 4))
    three_e9 = npy(npy_dict("(3000000000,)"))
    yield "claims-3e9.npy", three_e9 + bytes(128 - len(three_e9))


def png_81mp():
    row = b"\x00" * 9001  # filter byte + 9000 grey pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(9000)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", 9000, 9000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files():
        (out / name).write_bytes(data)
