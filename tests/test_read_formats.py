"""read_source on every supported format, from files the tests build themselves.

The same short policy (title, issuer, a 《》 citation, a task table with 牵头单位/责任单位) is
written as UTF-8 text, a government-style HTML page with menus around the article, a DOCX and a
PDF; every reader must return the same text (the table in the corpus convention of
formats/layout.py), and, once ingest/extract.py exists, the same extraction record.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import re
from pathlib import Path
from typing import Any

import pytest
from policykg.ingest.read import SourceText, read_source

TITLE = "遵义市人民政府关于印发遵义市知识产权强市建设工作方案的通知"
HEAD = [
    TITLE,
    "遵府发〔2022〕15号",
    "各县、自治县、区(市)人民政府,市直有关单位:",
    "现将《遵义市知识产权强市建设工作方案》印发给你们,请认真贯彻落实。",
    "为深入贯彻落实《知识产权强国建设纲要(2021-2035年)》,提升知识产权创造、运用、保护能力,"
    "推动经济社会高质量发展,结合我市实际,制定本方案。",
    "一、主要任务",
]
TABLE = [
    ["序号", "主要工作内容", "牵头单位", "责任单位"],
    ["1", "促进高价值发明专利增长,引导企业获取核心关键技术。", "市市场监管局", "市工业和能源局、市科技局"],
    ["2", "推动地理标志运用促进,打造区域品牌。", "市农业农村局", "各县(市、区)人民政府"],
]
TAIL = ["遵义市人民政府", "2022年10月21日"]


def table_lines(rows: list[list[str]]) -> list[str]:
    """The corpus convention, written out by hand (not with the code under test)."""
    out = []
    for row in rows:
        out += [f"{cell} |" for cell in row]
        out[-1] += " |"
    return out


EXPECTED = "\n".join(HEAD + table_lines(TABLE) + TAIL)


# --- builders ---------------------------------------------------------------------------


def build_txt(path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes(EXPECTED.encode(encoding))
    return path


def build_html(path: Path, charset: str = "utf-8") -> Path:
    rows = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>\n" for row in TABLE)
    body_paras = "".join(f"<p style='text-indent:2em'>{line}</p>\n" for line in HEAD[1:])
    tail = "".join(f"<p style='text-align:right'>{line}</p>" for line in TAIL)
    menu = "".join(f"<li><a href='/{i}'>{name}</a></li>" for i, name in enumerate(
        ["首页", "政务公开", "政策文件", "政务服务", "互动交流", "走进遵义", "专题专栏"]))  # fmt: skip
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_遵义市人民政府门户网站</title>
<script>var nav = "首页 政务公开";</script><style>.zoom {{ font-size: 16px }}</style></head>
<body>
<div class="header"><div class="logo">遵义市人民政府门户网站</div>
  <ul class="nav">{menu}</ul>
  <form class="search"><input name="q" value="请输入关键字"><button>搜索</button></form></div>
<div class="container">
  <div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
      <a href="/zcwj">政策文件</a></div>
  <div class="left-side"><h3>政策文件</h3><ul>{menu}</ul></div>
  <div class="article">
    <h1 class="article-title">{TITLE}</h1>
    <div class="info">发布时间:2022-10-26 来源:市政府办公室 浏览次数:1024 字号:[大 中 小]</div>
    <div class="share">分享到:<a href="#">微信</a><a href="#">微博</a></div>
    <div id="zoom" class="TRS_Editor">
{body_paras}<table border="1" cellspacing="0"><tbody>
{rows}</tbody></table>
{tail}
    </div>
    <div class="qrcode">扫一扫在手机打开当前页面</div>
    <div class="print-close">【打印本页】【关闭窗口】</div>
    <div class="related"><h3>相关文件</h3><ul>{menu}</ul></div>
  </div>
</div>
<div class="footer"><p>主办单位:遵义市人民政府办公室 承办单位:遵义市大数据发展管理局</p>
<p>网站标识码:5203000001 黔ICP备05003474号 黔公网安备52030202001234号</p></div>
</body></html>"""
    path.write_bytes(page.encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset))
    return path


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for line in HEAD[1:]:
        document.add_paragraph(line)
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in TAIL:
        document.add_paragraph(line)
    # a header line is page furniture, not document text
    document.sections[0].header.paragraphs[0].text = "遵义市人民政府文件"
    document.save(path)
    return path


def build_pdf(path: Path, extra_pages: int = 0) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    # STSong-Light is one of the CJK CID fonts every PDF viewer (and pdfminer) knows; it needs
    # no font file, so the test builds its PDF anywhere.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=style, fontSize=10.5, leading=14)
    story: list[Any] = [Paragraph(line, style) for line in HEAD]
    grid = Table([[Paragraph(c, cell) for c in row] for row in TABLE], colWidths=[40, 220, 90, 110])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(grid)
    story += [Paragraph(line, style) for line in TAIL]
    for _ in range(extra_pages):
        story += [PageBreak(), Paragraph("附件", style)]

    def page_number(canvas: Any, doc: Any) -> None:  # page furniture the reader must drop
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


BUILDERS = {"txt": build_txt, "html": build_html, "docx": build_docx, "pdf": build_pdf}


def layout_free(text: str) -> str:
    """What must agree across formats: the words, whatever the white space."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, SourceText]:
    folder = tmp_path_factory.mktemp("formats")
    # the extension is deliberately wrong for every file: the format comes from the content
    return {fmt: read_source(build(folder / f"doc-{fmt}.bin")) for fmt, build in BUILDERS.items()}


# --- each format ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_format_detected_from_content(sources, fmt):
    assert sources[fmt].format == fmt


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_every_format_reads_to_the_same_text(sources, fmt):
    assert layout_free(sources[fmt].text) == layout_free(EXPECTED)
    # and beyond the words, the same lines: paragraphs one per line, the table in the convention
    assert sources[fmt].text.splitlines() == EXPECTED.splitlines()


def test_txt_is_returned_as_decoded(sources):
    assert sources["txt"].text == EXPECTED
    assert sources["txt"].encoding == "utf-8"


def test_html_drops_site_chrome(sources):
    text = sources["html"].text
    for chrome in [
        "当前位置",
        "政务服务",
        "扫一扫",
        "打印本页",
        "分享到",
        "ICP",
        "相关文件",
        "请输入关键字",
        "var nav",
    ]:
        assert chrome not in text, chrome
    assert text.splitlines()[0] == TITLE  # the <h1> above the article container comes first


def test_docx_interleaves_paragraphs_and_table(sources):
    lines = sources["docx"].text.splitlines()
    assert lines.index("一、主要任务") < lines.index("牵头单位 |") < lines.index("遵义市人民政府")
    assert "遵义市人民政府文件" not in lines  # the page header


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("gbk", b""),
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_text_encodings(tmp_path, encoding, bom):
    path = tmp_path / "policy.txt"
    path.write_bytes(bom + EXPECTED.encode(encoding))
    source = read_source(path)
    assert source.format == "txt"
    assert source.text == EXPECTED
    expected_name = {"gbk": "gb18030", "utf-8": "utf-8-sig"}.get(encoding, encoding)
    assert source.encoding == expected_name


def test_crlf_line_ends_are_normalized(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(EXPECTED.replace("\n", "\r\n").encode("gbk"))
    assert read_source(path).text == EXPECTED


def test_text_cut_inside_its_last_character_keeps_the_rest(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(EXPECTED.encode("utf-8")[:-1])  # 日 is three bytes: two remain
    assert read_source(path).text == EXPECTED[:-1]


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "utf-8"])
def test_html_charset_from_meta(tmp_path, charset):
    source = read_source(build_html(tmp_path / "page.html", charset))
    assert source.text == EXPECTED


def test_html_charset_detected_without_meta(tmp_path):
    page = f"<html><body><div><h1>{TITLE}</h1><p>{HEAD[3]}</p></div></body></html>"
    path = tmp_path / "nometa.htm"
    path.write_bytes(page.encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert source.text.splitlines() == [TITLE, HEAD[3]]


def test_html_in_utf16(tmp_path):
    path = tmp_path / "page16.html"
    build_html(path)
    markup = path.read_bytes().decode("utf-8").replace("charset=utf-8", "charset=utf-16")
    path.write_bytes(codecs.BOM_UTF16_LE + markup.encode("utf-16-le"))
    assert read_source(path).text == EXPECTED


def test_html_merged_cells_written_once(tmp_path):
    page = """<html><body><div id="zoom"><p>关于做好知识产权工作的通知</p><table>
    <tr><th>类别</th><th>任务</th><th>牵头单位</th></tr>
    <tr><td rowspan="2">知识产权创造</td><td>专利增长</td><td>市市场监管局</td></tr>
    <tr><td>商标注册</td><td>市市场监管局</td></tr>
    <tr><td colspan="3">合计</td></tr></table></div></body></html>"""
    path = tmp_path / "merged.html"
    path.write_text(page, encoding="utf-8")
    assert read_source(path).text.splitlines() == [
        "关于做好知识产权工作的通知",
        *table_lines([["类别", "任务", "牵头单位"], ["知识产权创造", "专利增长", "市市场监管局"]]),
        *table_lines([["商标注册", "市市场监管局"], ["合计"]]),
    ]


def test_docx_merged_cells_written_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("关于印发任务分工的通知")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["类别", "任务", "牵头单位"], ["", "专利增长", "市市场监管局"], ["", "商标注册", ""]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0)).text = "知识产权创造"  # vertical merge
    table.cell(2, 1).merge(table.cell(2, 2)).text = "商标注册"  # horizontal merge
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_source(path).text.splitlines() == [
        "关于印发任务分工的通知",
        *table_lines(
            [["类别", "任务", "牵头单位"], ["知识产权创造", "专利增长", "市市场监管局"], ["商标注册"]]
        ),
    ]


def test_pdf_page_numbers_dropped_and_pages_kept(tmp_path):
    text = read_source(build_pdf(tmp_path / "long.pdf", extra_pages=2)).text
    assert text.splitlines()[-2:] == ["附件", "附件"]
    assert not re.search(r"^- \d+ -$", text, re.MULTILINE)


def test_plain_text_is_fast(tmp_path):
    """The project target is 10 MB/s of extraction; reading must be a small part of that."""
    import time

    path = tmp_path / "big.txt"
    path.write_bytes((EXPECTED + "\n").encode("utf-8") * 20000)  # about 8 MB
    start = time.perf_counter()
    read_source(path, max_bytes=50 * 1024 * 1024)
    elapsed = time.perf_counter() - start
    assert path.stat().st_size / elapsed > 20e6, f"{elapsed:.3f}s"


# --- the extraction record, once the extractor exists ------------------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = value.to_dict() if hasattr(value, "to_dict") else dataclasses.asdict(value)
    if isinstance(value, dict):
        # offsets differ between renderings by design; everything else must match
        skip = {"span", "quote_start", "content_hash", "source"}
        return {k: _plain(v) for k, v in value.items() if k not in skip}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def test_same_extraction_record_from_every_format(sources):
    extract = pytest.importorskip("policykg.ingest.extract", reason="ingest/extract.py does not exist yet")
    if not hasattr(extract, "extract_text"):
        pytest.skip("ingest/extract.py has no extract_text(text, source) yet")
    records = {fmt: _plain(extract.extract_text(src.text, "same-policy")) for fmt, src in sources.items()}
    assert records["txt"]["documents"], "the sample policy yields no document"
    for fmt in ("html", "docx", "pdf"):
        assert records[fmt] == records["txt"], fmt


def test_sample_corpus_reads_unchanged():
    for path in sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt")):
        assert read_source(path).text == path.read_text(encoding="utf-8")


def test_pdf_extraction_of_a_built_pdf_is_byte_honest(tmp_path):
    """The PDF is a real one: its text is only in the content stream as CID codes, so a pass
    means the reader decoded the font, not that it found a copy of the text somewhere."""
    raw = build_pdf(tmp_path / "honest.pdf").read_bytes()
    assert TITLE.encode("utf-8") not in raw and TITLE.encode("utf-16-be") not in raw
    assert io.BytesIO(raw).read(5) == b"%PDF-"


def test_pdf_merged_cells_written_once(tmp_path):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = _pdf_style()
    rows = [
        ["类别", "任务", "牵头单位"],
        ["知识产权创造", "专利增长", "市市场监管局"],
        ["", "商标注册", "市市场监管局"],
    ]
    grid = Table(
        [[Paragraph(c, style) for c in row] for row in [*rows, ["合计", "", ""]]], colWidths=[100, 150, 120]
    )
    spans = [("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (2, 3))]
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]))
    path = tmp_path / "merged.pdf"
    SimpleDocTemplate(str(path)).build([Paragraph("关于做好知识产权工作的通知", style), grid])
    assert read_source(path).text.splitlines() == [
        "关于做好知识产权工作的通知",
        *table_lines(rows[:2]),
        *table_lines([["商标注册", "市市场监管局"], ["合计"]]),
    ]


def test_pdf_wrapped_lines_become_paragraphs(tmp_path):
    """Official layout: indented first lines, justified text, a centred title, a right-aligned
    signature. Wrapped lines join; indented lines and short lines end paragraphs."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle(
        "b", parent=_pdf_style(), fontSize=16, leading=28, firstLineIndent=32, alignment=TA_JUSTIFY
    )
    centred = ParagraphStyle("t", parent=body, fontSize=20, firstLineIndent=0, alignment=TA_CENTER)
    right = ParagraphStyle("r", parent=body, firstLineIndent=0, alignment=TA_RIGHT)
    long_para = HEAD[4] * 2
    path = tmp_path / "official.pdf"
    story = [
        Paragraph("关于印发工作方案的通知", centred),
        Paragraph(long_para, body),
        Paragraph(HEAD[5], body),
    ]
    SimpleDocTemplate(str(path)).build([*story, Paragraph(TAIL[0], right), Paragraph(TAIL[1], right)])
    assert read_source(path).text.splitlines() == ["关于印发工作方案的通知", long_para, HEAD[5], *TAIL]


def test_html_table_layout_site(tmp_path):
    """An old site: the page is a layout table, the title only bold, a footer row."""
    page = f"""<html><body><table width="1000"><tr><td colspan="2"><a href="/">首页</a>
    <a href="/a">政务公开</a> <a href="/b">新闻中心</a></td></tr>
    <tr><td width="200"><a href="/x">政策文件</a><br><a href="/y">规划计划</a></td><td>
    <table><tr><td align="center"><b>{TITLE}</b></td></tr><tr><td>{HEAD[1]}</td></tr>
    <tr><td><p>{HEAD[2]}</p><p>{HEAD[3]}</p><p>{HEAD[4]}</p></td></tr></table></td></tr>
    <tr><td colspan="2">版权所有:遵义市人民政府办公室 技术支持:某某网络公司 黔ICP备05003474号</td></tr>
    </table></body></html>"""
    path = tmp_path / "old.html"
    path.write_bytes(page.encode("gbk"))  # no charset declared: detected
    assert read_source(path).text.splitlines() == HEAD[:5]


def _pdf_style():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=15, wordWrap="CJK")
