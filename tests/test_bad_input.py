"""Hard failure modes: every bad input is an InputError with a one-line reason, never a traceback.

Includes property-based tests: random bytes, random bytes behind real format signatures, and
cut or damaged copies of valid DOCX/PDF/HTML/text files must end in a SourceText or an
InputError, within a bounded time per file.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policykg.ingest.errors import InputError
from policykg.ingest.read import POLICY_MARKERS, SourceText, check_policy_text, read_source

POLICY = (
    "遵义市人民政府关于印发知识产权工作方案的通知\n各县人民政府:\n"
    "现将《遵义市知识产权工作方案》印发给你们。\n"
)


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("关于印发知识产权工作方案的通知")
    table = document.add_table(rows=2, cols=2)
    for c, value in enumerate(["牵头单位", "责任单位"]):
        table.cell(0, c).text = value
    table.cell(1, 0).text = "市市场监管局"
    table.cell(1, 1).text = "市科技局"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(text: str | None = "关于印发知识产权工作方案的通知", **encrypt: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    kwargs = {"encrypt": StandardEncryption(**encrypt)} if encrypt else {}
    page = canvas.Canvas(buffer, **kwargs)
    if text is None:
        page.rect(100, 100, 200, 200, fill=1)  # a "scan": marks on the page, no text
    else:
        page.setFont("STSong-Light", 12)
        page.drawString(72, 700, text)
    page.save()
    return buffer.getvalue()


def make_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def make_zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in names.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def expect_error(path: Path, *words: str, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as caught:
        read_source(path, **kwargs)
    err = caught.value
    message = str(err)
    assert "\n" not in message, message
    assert message.startswith(str(path)), message
    assert err.path == str(path)
    for word in words:
        assert word in err.reason, (word, err.reason)
    return err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- files that are not there or not files ---------------------------------------------------


def test_missing_file(tmp_path):
    expect_error(tmp_path / "nope.txt", "no such file")


def test_directory(tmp_path):
    expect_error(tmp_path, "directory")


def test_broken_symlink(tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    expect_error(link, "broken symbolic link")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    expect_error(fifo, "not a regular file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path):
    path = write(tmp_path, "secret.txt", POLICY.encode())
    path.chmod(0)
    try:
        expect_error(path, "permission denied")
    finally:
        path.chmod(0o644)


# --- size ---------------------------------------------------------------------------------


def test_over_size_limit(tmp_path):
    path = write(tmp_path, "big.txt", POLICY.encode() * 10)
    expect_error(path, "too large", f"limit {len(POLICY.encode()) * 5}", max_bytes=len(POLICY.encode()) * 5)


def test_size_limit_defaults_to_settings(tmp_path, monkeypatch):
    from policykg import settings

    path = write(tmp_path, "big.txt", POLICY.encode() * 10)
    monkeypatch.setenv("POLICYKG_MAX_FILE_BYTES", "100")
    settings.get_settings.cache_clear()
    try:
        expect_error(path, "too large", "limit 100")
    finally:
        monkeypatch.delenv("POLICYKG_MAX_FILE_BYTES")
        settings.get_settings.cache_clear()
    assert isinstance(read_source(path), SourceText)


# --- empty and binary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", ["empty file"]),
        (b" \n\t\r\n  ", ["white space"]),
        (b"\xef\xbb\xbf", ["no text content"]),
        (make_png(), ["PNG image"]),
        (b"\x7fELF\x02\x01\x01" + bytes(200), ["ELF"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ["legacy Office", ".docx"]),
        (b"{\\rtf1\\ansi notice}", ["RTF"]),
        (make_zip({"readme.txt": POLICY.encode()}), ["ZIP archive that is not a DOCX"]),
        (make_zip({"xl/workbook.xml": b"<x/>"}), ["Excel"]),
        (b"PK\x07\x08garbage", ["corrupt ZIP"]),
        (bytes(range(256)) * 8, ["binary"]),
        (os.urandom(4096), []),  # whatever it is, it is an InputError
        ("关于印发的通知\x00\x01\x02\x03".encode() * 50, ["binary"]),
    ],
    ids=[
        "empty", "whitespace", "bom-only", "png", "elf", "ole-doc", "rtf", "zip", "xlsx", "bad-zip",
        "all-bytes", "random", "nul-text",
    ],
)  # fmt: skip
def test_empty_and_binary(tmp_path, data, words):
    expect_error(write(tmp_path, "input.txt", data), *words)


# --- cut and damaged documents ---------------------------------------------------------------


def test_truncated_docx(tmp_path):
    data = make_docx()
    expect_error(write(tmp_path, "cut.docx", data[: len(data) // 2]), "DOCX")


def test_docx_with_damaged_member(tmp_path):
    data = bytearray(make_docx())
    start = data.find(b"word/document.xml") + len("word/document.xml")
    data[start + 40 : start + 60] = b"\xff" * 20  # inside the compressed body of document.xml
    expect_error(write(tmp_path, "damaged.docx", bytes(data)), "DOCX")


def test_docx_zip_bomb_is_refused(tmp_path):
    bomb = make_zip({"word/document.xml": b"<w:document/>", "word/media/pad.bin": bytes(300 * 1024 * 1024)})
    expect_error(write(tmp_path, "bomb.docx", bomb), "zip bomb")


def test_docx_without_text(tmp_path):
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    expect_error(write(tmp_path, "blank.docx", buffer.getvalue()), "no text content")


def test_truncated_pdf(tmp_path):
    data = make_pdf()
    expect_error(write(tmp_path, "cut.pdf", data[: len(data) * 2 // 3]), "truncated PDF")


def test_corrupt_pdf(tmp_path):
    expect_error(write(tmp_path, "junk.pdf", b"%PDF-1.4\n" + os.urandom(2000) + b"\n%%EOF\n"), "PDF")


def test_pdf_without_text_layer(tmp_path):
    expect_error(write(tmp_path, "scan.pdf", make_pdf(None)), "no text layer")


def test_encrypted_pdf(tmp_path):
    expect_error(
        write(tmp_path, "locked.pdf", make_pdf(userPassword="secret", ownerPassword="o")), "encrypted"
    )


def test_pdf_encrypted_for_owner_only_is_read(tmp_path):
    # an empty user password opens the file; only editing is restricted, so the text is readable
    source = read_source(write(tmp_path, "owner.pdf", make_pdf(userPassword="", ownerPassword="o")))
    assert source.text == "关于印发知识产权工作方案的通知"


def test_html_without_article(tmp_path):
    page = b"<html><body><ul><li><a href='/'>Home</a></li></ul></body></html>"
    expect_error(write(tmp_path, "menu.html", page), "not a policy document")


def test_html_that_is_empty(tmp_path):
    expect_error(
        write(tmp_path, "empty.html", b"<html><head><title>x</title></head><body></body></html>"), "no text"
    )


# --- not a policy -----------------------------------------------------------------------------


ENGLISH_README = """# policykg

Turn documents into a knowledge graph.

## Install

    pip install -e .[test]

Run `pytest` to check everything works.
"""
CHINESE_PROSE = "今天天气很好，我和朋友去公园散步。湖边开满了花，孩子们在草地上放风筝，大家都很开心。\n"


@pytest.mark.parametrize("text", [ENGLISH_README, CHINESE_PROSE], ids=["english-readme", "chinese-prose"])
def test_not_a_policy(tmp_path, text):
    expect_error(write(tmp_path, "doc.txt", text.encode("utf-8")), "not a policy document")
    with pytest.raises(InputError):
        check_policy_text(Path("doc.txt"), text)


def test_check_policy_text_is_conservative():
    # one marker anywhere is enough: short notices, fragments, tables of units all pass
    for text in [
        POLICY,
        "第一条 为了规范管理,制定本规定。",
        "牵头单位 |\n市市场监管局 |",
        "一、总体要求\n由市政府负责。",
    ]:
        check_policy_text(Path("x.txt"), text)


def test_every_seed_passes_the_policy_check():
    seeds = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
    for path in seeds.glob("*.txt"):
        check_policy_text(path, path.read_text(encoding="utf-8"))


def test_markers_are_documented_and_simple():
    assert "《" in POLICY_MARKERS and "通知" in POLICY_MARKERS
    assert all(1 <= len(marker) <= 3 for marker in POLICY_MARKERS)


# --- property-based: nothing but InputError, in bounded time ---------------------------------

_FOLDER = Path(tempfile.mkdtemp(prefix="policykg-fuzz-"))
_SAMPLES = {
    "docx": make_docx(),
    "pdf": make_pdf(),
    "html": (
        f"<html><head><meta charset='gbk'></head><body><div id='zoom'><p>{POLICY}</p></div></body></html>"
    ).encode("gb18030"),
    "gbk": POLICY.encode("gbk"),
    "utf16": POLICY.encode("utf-16"),
}
_SIGNATURES = [b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]
FUZZ = settings(
    max_examples=150,
    deadline=3000,  # milliseconds per file: a reader that hangs or crawls fails the test
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples every run, so CI cannot flake on a lucky draw
    database=None,  # nothing to replay between runs when the draw is fixed
)


def _read_bytes(data: bytes) -> None:
    path = _FOLDER / "input"
    path.write_bytes(data)
    try:
        source = read_source(path, max_bytes=1 << 20)
    except InputError as err:
        assert "\n" not in str(err)
        assert err.reason
        return
    assert isinstance(source, SourceText)
    assert source.text.strip()


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    _read_bytes(data)


@FUZZ
@given(st.sampled_from(_SIGNATURES), st.binary(max_size=4096))
def test_random_bytes_behind_a_signature(signature, data):
    _read_bytes(signature + data)


@FUZZ
@given(st.sampled_from(sorted(_SAMPLES)), st.floats(0.0, 1.0))
def test_cut_documents(kind, fraction):
    data = _SAMPLES[kind]
    _read_bytes(data[: int(len(data) * fraction)])


@FUZZ
@given(
    st.sampled_from(sorted(_SAMPLES)),
    st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_damaged_documents(kind, flips):
    data = bytearray(_SAMPLES[kind])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    _read_bytes(bytes(data))


_CJK_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), st.sampled_from("，。、《》\n 0123")
    ),
    min_size=1,
    max_size=300,
)


@FUZZ
@given(_CJK_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_policy_text_round_trips_in_every_encoding(body, encoding):
    text = "关于" + body  # a marker, so the policy check passes and the decoding is what is tested
    path = _FOLDER / "roundtrip"
    path.write_bytes(text.encode(encoding))
    assert read_source(path).text == text
