"""The full assessment as an editable Word document (python-docx).

Made from the full report's own HTML (the template the PDF is laid out from, rendered
from the same context), so the Word document has exactly the PDF's sections, tables
and narrative, in the same words: each chapter heading becomes a Heading 1, its
sub-headings Heading 2 and 3, paragraphs and lists stay paragraphs and lists, tables
become Word tables with a header row that repeats on each page. Consultants edit the
text in Word. Charts are left out: each chart in the report has a table beside it
with the same values, and those tables are here.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import html as lxml_html
from PIL import Image

from .documents_text import long_date, short_date

HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4}
BLOCKS = {"p", "table", "ul", "ol", "dl", "div", "section", "nav", "figure", *HEADINGS, "h1"}
# Parts of the PDF's HTML that only serve its page layout (cover, contents with page
# numbers, running headers): the Word document has its own title block and styles.
SKIPPED_CLASSES = {"cover", "toc", "doctitle", "docmeta", "cover-band", "running"}
MUTED = RGBColor(0x5B, 0x65, 0x70)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build_document(html: str, context: dict, *, logo_path: str | None = None) -> bytes:
    """The Word document for a full-assessment context and its report HTML."""
    document = Document()
    _page_setup(document, context)
    brand = RGBColor.from_string(context["branding"]["color"].lstrip("#").upper())
    _styles(document, brand)
    _title_block(document, context, logo_path)
    root = lxml_html.fromstring(html)
    body = root.find("body") if root.tag != "body" else root
    _Writer(document).blocks(body if body is not None else root)
    properties = document.core_properties
    properties.title = f"{context['kind_label']}: {context['organization'].name}"
    properties.author = context["branding"]["firm_name"] or "AI Scaling Maturity"
    properties.subject = context["assessment"].title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the document's frame ---------------------------------------------------------------


def _page_setup(document, context: dict) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    header = section.header.paragraphs[0]
    parts = [
        context["organization"].name,
        context["kind_label"],
        short_date(context["today"]),
        _("question bank %(version)s") % {"version": context["bank_version"]},
    ]
    if context.get("provisional"):
        parts.append(_("provisional"))
    header.text = " · ".join(parts)
    if context.get("confidential_mark"):
        run = header.add_run(f"\n{context['confidential_mark']}")
        run.bold = True
    _small(header, MUTED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # "Page 3 of 12": the words around the two fields, in the document's language.
    before, between, after = _page_words()
    if before:
        footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(between)
    _field(footer, "NUMPAGES")
    if after:
        footer.add_run(after)
    _small(footer, MUTED)


def _styles(document, brand: RGBColor) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 13), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = brand if name != "Heading 3" else RGBColor(0x1B, 0x22, 0x2C)


def _title_block(document, context: dict, logo_path: str | None) -> None:
    if logo_path:
        with Image.open(logo_path) as image:
            width, height = image.size
        # Fit 6 × 2.5 cm whole: never cropped, never stretched.
        scale = min(Cm(6) / width, Cm(2.5) / height)
        document.add_picture(logo_path, width=int(width * scale), height=int(height * scale))
    firm = context["branding"]["firm_name"]
    if firm:
        document.add_paragraph(_("Prepared by %(firm)s") % {"firm": firm})
    edition = context["edition_label"]
    document.add_paragraph(f"{context['kind_label']} · {edition}")
    document.add_heading(context["organization"].name, level=0)
    summary = context["summary"]
    submitted = ngettext(
        "%(count)s respondent submitted", "%(count)s respondents submitted", summary["respondents"]
    ) % {"count": summary["respondents"]}
    bank = _("question bank %(version)s") % {"version": context["bank_version"]}
    meta = document.add_paragraph(
        f"{context['assessment'].title} · {long_date(context['today'])} · {bank} · {submitted}"
    )
    _small(meta, MUTED)
    if context.get("confidential_mark"):
        mark = document.add_paragraph(
            _(
                "%(mark)s: it names the respondents and their answers, and is not for the "
                "client's distribution."
            )
            % {"mark": context["confidential_mark"]}
        )
        for run in mark.runs:
            run.bold = True
    if context.get("provisional"):
        document.add_paragraph(
            _(
                "Provisional: the assessment is still open, and these results change as more "
                "executives submit."
            )
        )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- HTML → Word ------------------------------------------------------------------------


class _Writer:
    def __init__(self, document):
        self.document = document
        self.first_chapter = True
        self._styles: dict = {}

    def style(self, name: str):
        """The style object, looked up once: python-docx finds a style by name with a
        scan of every style, which on each of hundreds of paragraphs took a second."""
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int):
        return self.document.add_paragraph(text, style=self.style(f"Heading {level}"))

    def blocks(self, element, list_level: int = 0) -> None:
        """Each block child of `element` in order; loose text becomes a paragraph."""
        if (element.text or "").strip():
            self.document.add_paragraph(_clean(element.text))
        for child in element:
            if not isinstance(child.tag, str) or _skipped(child):
                pass
            elif child.tag in HEADINGS:
                if child.tag == "h2" and _is_chapter(child):
                    self._chapter_break()
                self.heading(_text(child), HEADINGS[child.tag])
            elif child.tag == "h1":
                self.heading(_text(child), 1)
            elif child.tag == "p":
                self._paragraph(child)
            elif child.tag in ("ul", "ol"):
                self._list(child, numbered=child.tag == "ol", level=list_level)
            elif child.tag == "table":
                self._table(child)
            elif child.tag == "dl":
                self._definitions(child)
            elif child.tag in ("figure", "img", "svg", "style", "script"):
                pass  # charts: their values are in the tables beside them
            elif child.tag in ("div", "section", "nav", "article", "header", "footer"):
                if any(isinstance(c.tag, str) and c.tag in BLOCKS for c in child):
                    self.blocks(child, list_level)
                elif _text(child):
                    self._paragraph(child)
            elif _text(child):
                self._paragraph(child)
            if (child.tail or "").strip():
                self.document.add_paragraph(_clean(child.tail))

    def _chapter_break(self) -> None:
        """Each chapter on a new page, as in the PDF (the first follows the title)."""
        if not self.first_chapter:
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.first_chapter = False

    def _paragraph(self, element, style: str | None = None):
        paragraph = self.document.add_paragraph(style=self.style(style) if style else None)
        _inline(paragraph, element)
        if "hint" in element.classes or "note" in element.classes:
            _small(paragraph, MUTED)
        return paragraph

    def _list(self, element, *, numbered: bool, level: int) -> None:
        base = "List Number" if numbered else "List Bullet"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        restart = self._restarted_numbering(style) if numbered else None
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            paragraph = self.document.add_paragraph(style=self.style(style))
            if restart is not None:
                paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = restart
            _inline(paragraph, item, skip=set(nested))
            for sub in nested:
                self._list(sub, numbered=sub.tag == "ol", level=level + 1)

    def _restarted_numbering(self, style_name: str) -> int | None:
        """A numbering of the style's list that starts again at 1: Word otherwise
        continues one numbered list into the next (the gaps would be numbered 9, 10)."""
        try:
            style_num = self.style(style_name).element.pPr.numPr.numId.val
            numbering = self.document.part.numbering_part.numbering_definitions._numbering
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            restarted = numbering.add_num(abstract)
            restarted.add_lvlOverride(ilvl=0).add_startOverride(1)
        except (AttributeError, KeyError):  # a template without list numbering
            return None
        return restarted.numId

    def _table(self, element) -> None:
        caption = element.find("caption")
        if caption is not None and _text(caption):
            self.document.add_paragraph(_text(caption), style=self.style("Caption"))
        rows = [
            row
            for part in element
            if isinstance(part.tag, str) and part.tag in ("thead", "tbody", "tfoot", "tr")
            for row in ([part] if part.tag == "tr" else part.findall("tr"))
        ]
        if not rows:
            return
        grid = [[c for c in r if c.tag in ("th", "td")] for r in rows]
        columns = max(len(cells) for cells in grid)
        table = self.document.add_table(rows=0, cols=columns)
        table.style = self.style("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _column_widths(grid, columns)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads
        head = element.find("thead")
        header_rows = set(head.findall("tr")) if head is not None else set()
        for row, html_cells in zip(rows, grid, strict=True):
            added = table.add_row()
            cells = added.cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width  # each cell, which Word reads
            for i, cell in enumerate(html_cells):
                paragraph = cells[i].paragraphs[0]
                _inline(paragraph, cell)
                if row in header_rows:
                    for run in paragraph.runs:
                        run.bold = True
                if "num" in cell.classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row in header_rows:
                _repeat_header(added)
                _shade(cells, "E8ECF2")
        self.document.add_paragraph()

    def _definitions(self, element) -> None:
        for child in element:
            if child.tag == "dt":
                paragraph = self.document.add_paragraph()
                paragraph.add_run(_text(child)).bold = True
                paragraph.paragraph_format.space_after = Pt(0)
            elif child.tag == "dd":
                paragraph = self.document.add_paragraph()
                _inline(paragraph, child)
                paragraph.paragraph_format.left_indent = Cm(0.6)


TEXT_WIDTH = Cm(16.6)  # A4 less the margins
MIN_COLUMN = Cm(2.1)


def _column_widths(grid: list[list], columns: int) -> list[int]:
    """Widths in proportion to each column's longest text (capped, so one long text
    does not squeeze the numbers), at least MIN_COLUMN, filling the text width."""
    longest = [1] * columns
    minimums = [MIN_COLUMN] * columns
    for cells in grid:
        for i, cell in enumerate(cells):
            longest[i] = max(longest[i], min(len(_text(cell)), 60))
    for i, cell in enumerate(grid[0]):  # a header word is never broken: "Require/d"
        word = max((len(w) for w in _text(cell).split()), default=0)
        minimums[i] = max(MIN_COLUMN, int(Cm(0.24) * word + Cm(0.5)))
    total = sum(longest)
    widths = [
        max(low, int(TEXT_WIDTH * n / total)) for low, n in zip(minimums, longest, strict=True)
    ]
    overflow = sum(widths) - TEXT_WIDTH
    if overflow > 0:  # take it from the widest column
        widest = widths.index(max(widths))
        widths[widest] -= overflow
    return widths


def _inline(paragraph, element, skip: set | None = None) -> None:
    """The element's text as runs: bold for strong/b/th, italic for em/i, muted for
    hints; line breaks kept."""

    def walk(node, bold=False, italic=False, muted=False):
        bold = bold or node.tag in ("strong", "b")
        italic = italic or node.tag in ("em", "i")
        muted = muted or "hint" in node.classes
        if node.tag == "br":
            paragraph.add_run().add_break()
        elif node.text:
            _run(paragraph, node.text, bold, italic, muted)
        for child in node:
            left_out = (skip and child in skip) or child.tag in ("img", "svg", "figure")
            if not isinstance(child.tag, str) or left_out or _skipped(child):
                pass
            else:
                walk(child, bold, italic, muted)
                if "value" in child.classes:  # a KPI's figure, then its label
                    paragraph.add_run(" ")
            if child.tail:
                _run(paragraph, child.tail, bold, italic, muted)

    walk(element)
    # No run may start or end the paragraph with stray spaces from the HTML's layout.
    if paragraph.runs:
        paragraph.runs[0].text = paragraph.runs[0].text.lstrip()
        paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()


def _run(paragraph, text: str, bold: bool, italic: bool, muted: bool) -> None:
    text = re.sub(r"\s+", " ", text)
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if muted:
        run.font.color.rgb = MUTED


def _text(element) -> str:
    return _clean(element.text_content())


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _skipped(element) -> bool:
    return bool(SKIPPED_CLASSES & set(element.classes)) or element.get("aria-hidden") == "true"


def _is_chapter(heading) -> bool:
    parent = heading.getparent()
    return parent is not None and "chapter" in parent.classes


def _small(paragraph, colour: RGBColor) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = colour


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def _page_words() -> tuple[str, str, str]:
    """The text before, between and after the page number and the page count."""
    text = _("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"}
    before, rest = text.split("\0", 1)
    between, after = rest.split("\1", 1)
    return before, between, after


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cells, fill: str) -> None:
    for cell in cells:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)
