"""Text in the encodings people have it in: Big5, BOM-less UTF-16, HZ, next to UTF-8 and GB18030.

The check of the issue: a copy of a sample document in another encoding gives the same
extraction record as the UTF-8 file. The sample documents are simplified Chinese, which Big5
cannot hold, so the Big5 copies are of `tests/data/001_traditional.txt`: sample 001 converted
once to traditional characters (OpenCC s2tw, one character for one, so the text is as long).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from policykg.ingest.errors import InputError
from policykg.ingest.extract import extract_path
from policykg.ingest.read import read_source

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
TRADITIONAL = Path(__file__).resolve().parent / "data" / "001_traditional.txt"


def _record(path: Path) -> dict:
    data = extract_path(path).to_dict()
    data.pop("content_hash")  # the bytes differ by design; everything else must not
    return data


def _copy(folder: Path, text: str, encoding: str, bom: bytes = b"") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "policy.txt"  # one name for every copy: the record carries it
    path.write_bytes(bom + text.encode(encoding))
    return path


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_copy_gives_the_same_record(tmp_path, seed, encoding):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    utf8 = _record(_copy(tmp_path / "utf8", text, "utf-8"))
    copy = _copy(tmp_path / encoding, text, encoding)
    assert not copy.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert read_source(copy).encoding == encoding
    assert _record(copy) == utf8
    assert utf8["documents"] and utf8["documents"][0]["cites"]  # a record with content


@pytest.mark.parametrize("encoding,expected", [("big5", "cp950"), ("cp950", "cp950"), ("big5hkscs", "cp950")])
def test_big5_copy_gives_the_same_record(tmp_path, encoding, expected):
    text = TRADITIONAL.read_text(encoding="utf-8")
    utf8 = _record(_copy(tmp_path / "utf8", text, "utf-8"))
    copy = _copy(tmp_path / encoding, text, encoding)
    source = read_source(copy)
    assert source.encoding == expected
    assert source.text == text
    assert _record(copy) == utf8
    assert utf8["documents"][0]["title"] == "遵義市國家知識產權強市建設試點城市工作方案"


def test_big5_text_only_hkscs_can_hold(tmp_path):
    # 㗎 (U+35CE) is a Hong Kong character: in Big5-HKSCS, not in cp950
    text = "關於印發《香港知識產權方案》的通知㗎\n各部門：現將方案印發給你們。"
    path = _copy(tmp_path, text, "big5hkscs")
    with pytest.raises(UnicodeEncodeError):
        text.encode("cp950")
    source = read_source(path)
    assert (source.text, source.encoding) == (text, "big5hkscs")


@pytest.mark.parametrize("seed", ["001_bd8fbcfcfad85180.txt", "004_aa90943eaf40d5fd.txt"])
def test_hz_copy_gives_the_same_record(tmp_path, seed):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    utf8 = _record(_copy(tmp_path / "utf8", text, "utf-8"))
    copy = _copy(tmp_path / "hz", text, "hz")
    assert copy.read_bytes().isascii()
    assert read_source(copy).encoding == "hz"
    assert _record(copy) == utf8


def test_ascii_with_a_tilde_brace_is_not_hz(tmp_path):
    text = "关于 the ~{ sign in a UTF-8 file"
    path = _copy(tmp_path, text, "utf-8")
    assert read_source(path).text == text


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("关于印发方案的通知", "gb18030"),  # short: both decodings are clean, the detector decides
        ("關於印發方案的通知", "big5"),
        ("各县、自治县、区(市)人民政府", "gb18030"),
        ("各縣、自治縣、區(市)人民政府", "big5"),
    ],
)
def test_short_text_ties_are_decided_by_detection(tmp_path, text, encoding):
    assert read_source(_copy(tmp_path, text, encoding)).text == text


def test_big5_is_never_read_as_gb18030_mojibake(tmp_path):
    text = TRADITIONAL.read_text(encoding="utf-8")
    data = text.encode("cp950")
    as_gb = data.decode("gb18030")  # decodes without error: that is the trap
    assert any("\ue000" <= ch <= "\uf8ff" for ch in as_gb)
    assert read_source(_copy(tmp_path, text, "cp950")).text == text


def test_undecodable_bytes_fail_with_a_clear_error(tmp_path):
    # GB18030 user-defined area (private use), invalid in cp950, an HKSCS rarity in Big5-HKSCS
    # only in pairs: here cut by stray bytes, so nothing decodes cleanly
    path = tmp_path / "junk.txt"
    path.write_bytes("关于".encode("gb18030") + bytes([0xFE, 0xA1, 0x80]) * 40)
    with pytest.raises(InputError) as err:
        read_source(path)
    message = str(err.value)
    assert "junk.txt" in message and "Big5" in message and "unsupported encoding" in message


def _page(charset: str, body: str) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{body[:10]}</title></head><body><div id='zoom'><p>{body}</p></div></body></html>"
    )


def test_html_declared_big5(tmp_path):
    body = TRADITIONAL.read_text(encoding="utf-8").split("\n")[1]
    path = tmp_path / "page.html"
    path.write_bytes(_page("big5", body).encode("big5"))
    assert body in read_source(path).text


def test_html_mislabelled_gb2312_that_is_big5(tmp_path):
    body = TRADITIONAL.read_text(encoding="utf-8").split("\n")[1]
    path = tmp_path / "page.html"
    path.write_bytes(_page("gb2312", body).encode("cp950"))
    source = read_source(path)
    assert body in source.text
    assert source.encoding == "cp950"


def test_html_with_a_stray_bad_byte_is_still_a_page(tmp_path):
    body = (SEEDS / "001_bd8fbcfcfad85180.txt").read_text(encoding="utf-8").split("\n")[1]
    path = tmp_path / "page.html"
    path.write_bytes(_page("utf-8", body).encode("utf-8").replace(b"<p>", b"<p>\xff", 1))
    assert body in read_source(path).text


def test_html_of_mojibake_is_refused(tmp_path):
    path = tmp_path / "page.html"
    junk = bytes([0xFE, 0xA1, 0x80]) * 200
    path.write_bytes(_page("utf-8", "关于印发方案的通知").encode("utf-8").replace(b"<p>", b"<p>" + junk, 1))
    with pytest.raises(InputError, match=r"page\.html.*undecodable page"):
        read_source(path)


def test_html_hz_charset(tmp_path):
    body = "关于印发知识产权方案的通知"
    path = tmp_path / "page.html"
    path.write_bytes(_page("hz-gb-2312", body).encode("hz"))
    assert body in read_source(path).text
