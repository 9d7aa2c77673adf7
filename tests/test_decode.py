"""coopanalysis.io.decode: every supported encoding of the seed reads to the same text; the rest fail
with a one-line error naming the file."""

from __future__ import annotations

import codecs

import pytest

from coopanalysis.errors import DecodeError, InputError
from coopanalysis.io.decode import decode_bytes, read_text
from coopanalysis.paths import SEED

# The seed's activity marks (↔ ← →) have no TIS-620/cp874 code; the cp874 copy spells them 'x'.
CP874_SAFE = str.maketrans({"↔": "x", "←": "x", "→": "x"})


@pytest.fixture(scope="module")
def seed_text() -> str:
    text, encoding = read_text(SEED)
    assert encoding == "utf-8"
    return text


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_seed_reads_as_utf8_with_lf(seed_text):
    assert "\r" not in seed_text
    assert seed_text.startswith("\n\n\n\nแผนปฏิบัติการกรมส่งเสริมสหกรณ์")
    # the line count is the file's: no extra splitting on other separators
    assert seed_text.count("\n") == SEED.read_bytes().count(b"\n")


@pytest.mark.parametrize(
    "name, encode, expected_encoding",
    [
        ("bom.txt", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        ("crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        ("cr.txt", lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
        ("bom_crlf.txt", lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
        ("utf16.txt", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf16le_bom.txt", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        ("utf16be_bom.txt", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        ("utf16le_nobom.txt", lambda t: t.encode("utf-16-le"), "utf-16"),
        ("utf16be_nobom.txt", lambda t: t.encode("utf-16-be"), "utf-16"),
        ("utf16_crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-16"), "utf-16"),
    ],
)
def test_copies_of_seed_read_identically(tmp_path, seed_text, name, encode, expected_encoding):
    path = _write(tmp_path, name, encode(seed_text))
    text, encoding = read_text(path)
    assert encoding == expected_encoding
    assert text == seed_text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("codec", ["cp874", "tis-620"])
def test_cp874_copy_of_seed(tmp_path, seed_text, codec, newline):
    safe = seed_text.translate(CP874_SAFE)
    path = _write(tmp_path, "tis620.txt", safe.replace("\n", newline).encode(codec))
    text, encoding = read_text(path)
    assert encoding == "cp874"
    assert text == safe


def test_only_crlf_and_cr_are_line_ends(tmp_path):
    raw = "ก\x0cข\u2028ค\x1cง\r\nจ\rฉ\n".encode("utf-8")
    text, _ = read_text(_write(tmp_path, "seps.txt", raw))
    assert text == "ก\x0cข\u2028ค\x1cง\nจ\nฉ\n"
    assert text.split("\n") == ["ก\x0cข\u2028ค\x1cง", "จ", "ฉ", ""]


def _assert_fails(path, error_type, *fragments):
    with pytest.raises(error_type) as info:
        read_text(path)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return info.value


def test_latin1_french_is_rejected(tmp_path):
    text = ("Rapport annuel de la coopérative agricole : été 2017, créé à Besançon.\n"
            "Les élèves ont reçu des crédits à l'école française; garçon, château, où, déjà.\n") * 20
    path = _write(tmp_path, "francais.txt", text.encode("latin-1"))
    _assert_fails(path, DecodeError, "not text in a supported encoding", "TIS-620/cp874")


def test_cp1252_french_is_rejected(tmp_path):
    text = "« Coopérative » – données financières “été” 2017 … €\n" * 10
    path = _write(tmp_path, "cp1252.txt", text.encode("cp1252"))
    _assert_fails(path, DecodeError, "not text in a supported encoding")


def test_shift_jis_is_rejected(tmp_path):
    text = "協同組合の行動計画（五か年）。予算は百万バーツ単位です。\n" * 20
    path = _write(tmp_path, "nihongo.txt", text.encode("shift_jis"))
    _assert_fails(path, DecodeError, "not text in a supported encoding")


def test_pdf_is_rejected(tmp_path):
    raw = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n\x00\x01\x02\xff\n"
    path = _write(tmp_path, "plan.pdf", raw)
    _assert_fails(path, DecodeError, "looks like a PDF; extract its text first")


def test_pdf_named_txt_is_rejected(tmp_path):
    path = _write(tmp_path, "plan.txt", b"%PDF-1.4\n" + bytes(range(256)) * 4)
    _assert_fails(path, DecodeError, "PDF")


def test_binary_with_nuls_is_rejected(tmp_path):
    path = _write(tmp_path, "image.bin", bytes(range(256)) * 16)
    _assert_fails(path, DecodeError, "binary")


def test_zip_is_rejected(tmp_path):
    path = _write(tmp_path, "plan.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    _assert_fails(path, DecodeError, "ZIP")


@pytest.mark.parametrize("raw", [b"", b"   \n\r\n\t \n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                 "  \n".encode("utf-16")])
def test_empty_file(tmp_path, raw):
    error = _assert_fails(_write(tmp_path, "empty.txt", raw), InputError, "file is empty")
    assert not isinstance(error, DecodeError)


def test_missing_file(tmp_path):
    error = _assert_fails(tmp_path / "nope.txt", InputError, "no such file")
    assert not isinstance(error, DecodeError)


def test_directory(tmp_path):
    _assert_fails(tmp_path, InputError, "directory")


def test_invalid_utf8_after_bom(tmp_path):
    path = _write(tmp_path, "badbom.txt", codecs.BOM_UTF8 + "été".encode("latin-1"))
    _assert_fails(path, DecodeError, "UTF-8")


def test_decode_bytes_names_its_source():
    with pytest.raises(DecodeError, match=r"^upload\.txt:1: "):  # the source, and the line of the first bad byte
        decode_bytes("été".encode("latin-1") * 10, name="upload.txt")


def test_thai_with_english_words_still_cp874(tmp_path):
    text = "๕.๙ โครงการ IT เพื่อการตรวจการสหกรณ์ (Green Coop) ระบบ CDC\n" * 5
    text_read, encoding = read_text(_write(tmp_path, "mixed.txt", text.encode("cp874")))
    assert (text_read, encoding) == (text, "cp874")
