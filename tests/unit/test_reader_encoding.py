"""The encoding of a text export: BOMs first, strict UTF-8, then the Chinese family, and the file's hash."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from explorer.exceptions import FileRejected
from loaders.encoding import detect_encoding

ROWS = "姓名,手机号\n张伟,13912345678\n李娜,13887654321\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"name,phone\nZhang Wei,13912345678\n", "utf-8"),
        (codecs.BOM_UTF8 + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("gbk") * 20, "gb18030"),
        (ROWS.encode("gb18030") * 20, "gb18030"),
    ],
)
def test_encoding_and_hash(tmp_path: Path, data: bytes, expected: str) -> None:
    path = _write(tmp_path, "export.csv", data)
    encoding, sha = detect_encoding(path)
    assert encoding == expected
    assert sha == hashlib.sha256(data).hexdigest()
    assert "13912345678" in path.read_text(encoding=encoding)


TRADITIONAL = "賬戶號碼,對方戶名,交易金額,備註\n" + "".join(
    f"62220{i:011d},陳大文{i},{i * 10}.50,購買貨品轉賬說明文字\n" for i in range(200)
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (TRADITIONAL, "big5"),  # its bytes read as GBK too, as other characters
        ("nom,prénom,adresse\n" + "".join(f"Dupré,Hélène{i},{i} rue de l'Église\n" for i in range(200)), "cp1252"),
        (
            "氏名,電話番号,住所\n"
            + "".join(f"山田太郎{i},090-1234-{i:04d},東京都新宿区西新宿{i}丁目\n" for i in range(200)),
            "shift_jis",
        ),
    ],
)
def test_an_export_in_another_encoding_is_read_as_written(tmp_path: Path, text: str, encoding: str) -> None:
    """Asking about the Chinese encodings first leaves Big5 as Big5 and sends other texts to the full guess."""
    path = _write(tmp_path, "export.csv", text.encode(encoding))
    found, _ = detect_encoding(path)
    assert path.read_text(encoding=found) == text


def test_text_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", b"name,phone\n" + bytes(range(0x80, 0x100)) * 4 + b"\n")
    with pytest.raises(FileRejected, match="export.csv"):
        detect_encoding(path)
