#!/usr/bin/env python3
"""Trims a real `.evtx` file to its file header and the chunks named, for
committed test fixtures (engine/tests/data/evtx/README.md says which file and
chunks each fixture holds).

The chunks are copied byte for byte, in the order given (a damaged chunk
stays damaged, a good one keeps its valid checksums); the file header is
rewritten to describe the new file: first chunk number 0, last chunk number
and chunk count from the chunks kept, next record id one past the highest
last record id of the kept chunks that have a chunk signature, and the CRC32
of its first 120 bytes. `--check` compares the result with an existing file
instead of writing it. Never changes the source file.

    python3 trim.py SOURCE.evtx OUT.evtx CHUNK [CHUNK ...] [--check]
"""

import struct
import sys
import zlib

FILE_HEADER = 4096
CHUNK = 65536
FILE_MAGIC = b"ElfFile\0"
CHUNK_MAGIC = b"ElfChnk\0"


def chunk_at(data, index):
    start = FILE_HEADER + index * CHUNK
    chunk = data[start:start + CHUNK]
    if len(chunk) != CHUNK:
        sys.exit(f"chunk {index} is not whole in the source ({len(chunk)} bytes)")
    return chunk


def last_record_id(chunk):
    """The last event record id a chunk header declares (None without its signature)."""
    if chunk[:8] != CHUNK_MAGIC:
        return None
    return struct.unpack_from("<Q", chunk, 32)[0]


def header_for(source_header, chunks):
    header = bytearray(source_header)
    if header[:8] != FILE_MAGIC:
        sys.exit("the source is not an .evtx file (no ElfFile signature)")
    ids = [i for i in (last_record_id(c) for c in chunks) if i is not None]
    next_record_id = max(ids) + 1 if ids else 1
    struct.pack_into("<Q", header, 8, 0)  # first chunk number
    struct.pack_into("<Q", header, 16, len(chunks) - 1)  # last chunk number
    struct.pack_into("<Q", header, 24, next_record_id)
    struct.pack_into("<H", header, 42, len(chunks))  # number of chunks
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120])))
    return bytes(header)


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if len(args) < 3:
        sys.exit(__doc__)
    source, out, indexes = args[0], args[1], [int(i) for i in args[2:]]
    with open(source, "rb") as f:
        data = f.read()
    chunks = [chunk_at(data, i) for i in indexes]
    trimmed = header_for(data[:FILE_HEADER], chunks) + b"".join(chunks)
    if check:
        with open(out, "rb") as f:
            same = f.read() == trimmed
        print(f"{out}: {'the same' if same else 'DIFFERENT'}")
        return 0 if same else 1
    with open(out, "wb") as f:
        f.write(trimmed)
    print(f"{out}: {len(trimmed)} bytes, chunks {indexes} of {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
