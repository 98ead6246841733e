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


# --- HTML meta tags of government sites ---------------------------------------------------

_GOV_PAGE = """<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}">
<meta name="ContentSource" content="{source}">
<title>政策文件_遵义市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zc">政策文件</a></div>
<div id="zoom"><p>{body}</p></div></body></html>"""
_BODY = (
    "各县、自治县、区(市)人民政府,市直有关单位:为深入贯彻落实《知识产权强国建设纲要(2021-2035年)》,"
    "提升知识产权创造、运用、保护能力,结合我市实际,制定本方案。"
)


def _gov_page(tmp_path: Path, **meta: str) -> Path:
    path = tmp_path / "article.html"
    path.write_text(_GOV_PAGE.format(body=_BODY, **meta), encoding="utf-8")
    return path


def test_html_meta_tags_give_title_date_and_issuer(tmp_path):
    path = _gov_page(
        tmp_path,
        title="遵义市人民政府关于印发遵义市知识产权强市建设工作方案的通知",
        date="2022-10-24 09:30",
        source="遵义市人民政府办公室",
    )
    source = read_source(path)
    assert source.hints == {
        "title": "遵义市人民政府关于印发遵义市知识产权强市建设工作方案的通知",
        "date": "2022-10-24",
        "issuer": "遵义市人民政府办公室",
    }
    assert "ArticleTitle" not in source.text and "2022-10-24" not in source.text
    (doc,) = extract_path(path).documents
    assert doc.title == "遵义市知识产权强市建设工作方案"  # the document the notice issues
    assert doc.issued_on == "2022-10-24"
    assert doc.issuers == ["遵义市人民政府办公室"]
    assert doc.jurisdiction == "遵义市"


def test_html_meta_tags_do_not_override_the_text(tmp_path):
    body = "\n".join(
        [
            "遵义市知识产权强市建设工作方案",
            _BODY,
            "遵义市人民政府",
            "2022年10月21日",
        ]
    )
    path = tmp_path / "article.html"
    page = _GOV_PAGE.format(
        body="</p><p>".join(body.split("\n")),
        title="另一个标题的通知",
        date="2022/10/24",
        source="中国政府网",
    )
    path.write_text(page, encoding="utf-8")
    (doc,) = extract_path(path).documents
    assert doc.title == "遵义市知识产权强市建设工作方案"
    assert doc.issued_on == "2022-10-21"  # the signature's date, not the day it went online
    assert doc.issuers == ["遵义市人民政府"]


def test_a_website_as_content_source_is_no_issuer(tmp_path):
    path = _gov_page(
        tmp_path, title="遵义市知识产权强市建设工作方案", date="2022年10月24日", source="来源：中国政府网"
    )
    source = read_source(path)
    assert source.hints["issuer"] == "中国政府网" and source.hints["date"] == "2022-10-24"
    (doc,) = extract_path(path).documents
    assert doc.title == "遵义市知识产权强市建设工作方案"
    assert doc.issuers == []
