"""PDF as government sites publish it: fake bold, running headers and footers, tables
continued across pages (续表). Each test builds a real PDF with reportlab and reads it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykg.ingest.extract import extract_path, extract_text
from policykg.ingest.read import read_source

TITLE = "遵义市知识产权强市建设工作方案"
INTRO = "为深入贯彻落实《知识产权强国建设纲要(2021-2035年)》,结合我市实际,制定本方案。"
HEADER = ["序号", "主要工作内容", "牵头单位", "责任单位"]
ROWS = [[str(i), f"推进第{i}项知识产权重点工作。", "市市场监管局", "市科技局"] for i in range(1, 41)]
TAIL = ["遵义市人民政府", "2022年10月21日"]
RUNNING_HEADER = "遵义市人民政府办公室文件"


def _table_lines(rows: list[list[str]]) -> list[str]:
    out = []
    for row in rows:
        out += [f"{cell} |" for cell in row]
        out[-1] += " |"
    return out


EXPECTED = [TITLE, INTRO, *_table_lines([HEADER, *ROWS]), *TAIL]


def _build(path: Path, *, fake_bold: bool, continued_label: bool) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=style, fontSize=10.5, leading=14)

    class Title(Flowable):  # the title printed twice, 0.3 pt apart: Word's "fake bold"
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = avail_width
            return avail_width, 30

        def draw(self) -> None:
            self.canv.setFont("STSong-Light", 18)
            for dx in (0.0, 0.3) if fake_bold else (0.0,):
                self.canv.drawCentredString(self.width / 2 + dx, 8, TITLE)

    grid = Table(
        [[Paragraph(c, cell) for c in row] for row in [HEADER, *ROWS]],
        colWidths=[40, 220, 90, 110],
        repeatRows=1,  # the header printed again on the next page, as Word does
    )
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story: list[Any] = [Title(), Paragraph(INTRO, style), grid, *(Paragraph(t, style) for t in TAIL)]

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, RUNNING_HEADER)
        canvas.drawString(72, 50, f"遵义市人民政府公报 2022年第{doc.page + 11}期")
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    def later(canvas: Any, doc: Any) -> None:
        furniture(canvas, doc)
        if continued_label:
            canvas.setFont("STSong-Light", 10.5)
            canvas.drawString(72, A4[1] - 68, "续表")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=later)
    return path


def test_fake_bold_furniture_and_continued_table(tmp_path):
    path = _build(tmp_path / "plan.pdf", fake_bold=True, continued_label=True)
    import pdfplumber

    with pdfplumber.open(path) as pdf:  # the file really is what the test says
        assert len(pdf.pages) >= 2
        first = pdf.pages[0].extract_text()
        assert "遵遵义义" in first.replace(" ", "") and RUNNING_HEADER in first
        assert "续表" in pdf.pages[1].extract_text()
    assert read_source(path).text.splitlines() == EXPECTED


def test_continued_table_without_label(tmp_path):
    path = _build(tmp_path / "plan.pdf", fake_bold=False, continued_label=False)
    assert read_source(path).text.splitlines() == EXPECTED


def test_joined_table_gives_every_task_once(tmp_path):
    path = _build(tmp_path / "plan.pdf", fake_bold=True, continued_label=True)
    from_pdf = extract_path(path).documents[0]
    from_text = extract_text("\n".join(EXPECTED), "plan.txt").documents[0]
    assert [t.text for t in from_pdf.tasks] == [t.text for t in from_text.tasks]
    assert len(from_text.tasks) == len(ROWS)


def test_attachment_headings_at_the_top_of_pages_are_kept(tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    story: list[Any] = [Paragraph(TITLE, style), Paragraph(INTRO, style)]
    for n in (1, 2, 3):
        story += [
            PageBreak(),
            Paragraph(f"附件{n}", style),
            Paragraph(f"第{n}个附件的正文,明确工作任务。", style),
        ]
    path = tmp_path / "attachments.pdf"
    SimpleDocTemplate(str(path)).build(story)
    lines = read_source(path).text.splitlines()
    assert [ln for ln in lines if ln.startswith("附件")] == ["附件1", "附件2", "附件3"]
