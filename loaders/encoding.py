"""The text encoding of a CSV or TSV export: a byte-order mark, strict UTF-8, else GBK/GB18030 or
another encoding charset-normalizer names; refused when none decodes the whole file, or when a file is
UTF-8 up to some line and another encoding after it."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from charset_normalizer import from_bytes

from explorer.exceptions import FileRejected

BLOCK = 1 << 20
# Read with GB18030, their superset; Big5 bytes decode as GBK too, as other characters: Big5 stays Big5.
GB_FAMILY = {"gbk", "gb2312", "gb18030", "cp936", "hz"}
CHINESE_FIRST = ["gb18030", "big5"]  # asked about alone first: a tenth of the time of the full guess
CHINESE_MAX_CHAOS = 0.1  # the share of odd characters above which the full guess is asked for


def _decode_all(path: Path, encoding: str) -> tuple[bool, str]:
    """Decode the whole file (C speed) while hashing it: (decodes, sha256)."""
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    ok = True
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            h.update(block)
            if ok:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                ok = False
    return ok, h.hexdigest()


MIXED_UTF8_MIN_CHARS = 3  # non-ASCII UTF-8 characters before the first bad line that prove the file is UTF-8


def _refuse_mixed_utf8(path: Path) -> None:
    """Refuse a file that is UTF-8 up to some line and another encoding after it.

    GB18030 and single-byte code pages decode almost any bytes, so such a file
    would otherwise be read whole in the fallback encoding and its UTF-8 lines
    (the header first) silently garbled.
    Runs only when strict UTF-8 failed, and stops at the first bad line.
    """
    seen = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                if seen >= MIXED_UTF8_MIN_CHARS:
                    raise FileRejected(
                        f"{path.name}: mixed text encodings: the lines before line {number} are UTF-8 but line "
                        f"{number} is not (GBK or another encoding); save the whole file in one encoding and load "
                        "it again."
                    ) from None
                return
            seen += sum(1 for ch in text if ord(ch) > 127)


def detect_encoding(path: Path) -> tuple[str, str]:
    """(encoding, sha256): BOMs first, then strict UTF-8, then charset-normalizer's best guess.

    The guess is asked for only when strict UTF-8 fails: most exports are UTF-8, and guessing costs a
    pass of charset-normalizer over the file's first megabyte for each of them. It is asked about the
    Chinese encodings first, alone, and about all it knows when none of them reads the file cleanly.
    """
    with path.open("rb") as f:
        head = f.read(BLOCK)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        ok, sha = _decode_all(path, "utf-8")
        if ok:
            return "utf-8", sha
        candidates = ["utf-8"]
        guess = from_bytes(head, cp_isolation=CHINESE_FIRST).best()
        if guess is None or guess.chaos > CHINESE_MAX_CHAOS:
            guess = from_bytes(head).best()
        if guess is not None and guess.encoding.replace("_", "").lower() not in ("utf8", "ascii"):
            enc = guess.encoding.lower().replace("_", "")
            # GB18030 is the superset of GB2312 and GBK: decode the whole family with it.
            candidates.append("gb18030" if enc in GB_FAMILY else guess.encoding)
        if "gb18030" not in candidates:
            candidates.append("gb18030")
    sha = ""
    for enc in candidates:
        if enc == "utf-8":
            continue  # tried above
        ok, sha = _decode_all(path, enc)
        if ok:
            if candidates[0] == "utf-8":  # strict UTF-8 failed somewhere
                _refuse_mixed_utf8(path)
            return enc, sha
    raise FileRejected(
        f"{path.name}: cannot read the text encoding (tried {', '.join(candidates)}); save it as UTF-8 or GBK."
    )
