"""Recognition of agencies, policy titles and document numbers.

The recognizers are three rules, each a plain function over a text:

    title_spans    《title》 spans as POLICY, 文号 such as 苏府办〔2021〕136号 as DOC_NUMBER
    gazetteer      names of national bodies (data/national_agencies.tsv) as AGENCY
    unit_spans     each item of a list of units that has the shape of an agency as AGENCY

`pipeline()` is the same rules as a spaCy pipeline (blank "zh", one token per character,
components policy_titles → entity_ruler → unit_shapes): the extension point for a user who
adds EntityRuler patterns or swaps in a trained model emitting the same labels, installed with
`use_pipeline(nlp)`; the extractors then read `doc.ents`. By default `entities()` runs the rules
directly, with the pipeline's precedence (titles, then gazetteer, then unit shapes; longer
spans first), because building a spaCy Doc per table cell and sentence cost more than all other
extraction together (bench: 2.5x slower). tests/test_nlp.py checks both give the same entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from policykg.ingest.agencies import ROLE_WORD_ENDS, ROLE_WORDS, is_agency, national_agencies, split_units
from spacy.language import Language
from spacy.tokens import Doc

# 《…》 with anything but another 《 inside (nested titles use 〈〉); at most 120 characters.
# a title may wrap once onto the next line (a table cell, a PDF line); never past a blank line
POLICY_RE = re.compile(r"《(?=[^《》]{2})([^《》\n]{1,120}(?:\n[^《》\n]{1,120})?)》")
# 文号: issuer code, year in brackets, serial number: 苏府办〔2021〕136号, 冀政字(2021)66号,
# 保政办发2021)11号 (a bracket lost to OCR), 国办发[2013]88号.
DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［(（]?\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d{1,4}\s*号"
)
# what may stand before a 文号's issuer code: a verb, a joining word, or the issuer's own name
NUMBER_LEAD = re.compile(
    r"按照|根据|依据|依照|参照|对照|贯彻落实|落实|贯彻|执行|印发|转发|关于|见|[和及与、]|人民政府|政府|办公厅|办公室"
)
CODE_END = re.compile(r"[〔\[［(（\d]")


@dataclass(frozen=True, slots=True)
class Entity:
    label: str
    start: int  # offsets relative to the text passed in
    end: int
    text: str


# -- the rules ------------------------------------------------------------------------------


def _longest_first(spans: list[Entity], taken: list[Entity] | None = None) -> list[Entity]:
    """Non-overlapping spans, longer ones winning, then earlier ones (spaCy's filter_spans);
    spans overlapping one of `taken` are dropped."""
    kept = list(taken or ())
    for span in sorted(spans, key=lambda x: (x.start - x.end, x.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda x: x.start)


def title_spans(text: str) -> list[Entity]:
    if "《" not in text and "号" not in text:
        return []
    found = [Entity("POLICY", m.start(), m.end(), m.group()) for m in POLICY_RE.finditer(text)]
    for m in DOC_NUMBER_RE.finditer(text):
        # the issuer code starts after a verb or an issuer name right before it:
        # 按照临政办〔2022〕15号, 苏州市人民政府苏府规字〔2023〕1号
        code_end = CODE_END.search(m.group())
        code = m.group()[: code_end.start() if code_end else 0]
        cut = max((x.end() for x in NUMBER_LEAD.finditer(code) if len(code) - x.end() >= 2), default=0)
        start = m.start() + cut
        found.append(Entity("DOC_NUMBER", start, m.end(), text[start : m.end()]))
    return found


@lru_cache(maxsize=1)
def _gazetteer_re() -> re.Pattern[str]:
    # a lookahead finds every occurrence, overlapping ones included, as a phrase matcher does
    # short other names (人行, 民委) are found only as items of a unit list (unit_spans), never
    # inside running text where they may be part of another word
    names = sorted((n for n in national_agencies() if len(n) >= 4), key=len, reverse=True)
    return re.compile("(?=(" + "|".join(map(re.escape, names)) + "))")


def gazetteer_spans(text: str) -> list[Entity]:
    return [Entity("AGENCY", m.start(1), m.end(1), m.group(1)) for m in _gazetteer_re().finditer(text)]


def unit_spans(text: str) -> list[Entity]:
    """Items of a unit list (split at 、，; outside brackets) that look like agencies."""
    found = []
    for s, e in split_units(text):
        piece = text[s:e]
        m = ROLE_WORDS.search(piece) if piece[-1:] in ROLE_WORD_ENDS else None
        if m:
            e = s + m.start()
            piece = text[s:e]
        if piece and is_agency(piece):
            found.append(Entity("AGENCY", s, e, piece))
    return found


def recognize(text: str) -> list[Entity]:
    """The three rules with the pipeline's precedence."""
    ents = _longest_first(title_spans(text))
    # a listed name inside a longer unit (海关总署 in 海关总署广东分署) yields to the longer unit
    return _longest_first(gazetteer_spans(text) + unit_spans(text), ents)


# -- the same rules as a spaCy pipeline -------------------------------------------------------


class CharTokenizer:
    """One token per character: fast and exact for Chinese spans (char offsets = token offsets)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))


def _set_ents(doc: Doc, spans: list[Entity]) -> Doc:
    doc.ents = [doc.char_span(e.start, e.end, label=e.label) for e in spans]
    return doc


@Language.component("policy_titles")
def policy_titles(doc: Doc) -> Doc:
    spans = title_spans(doc.text)
    return _set_ents(doc, _longest_first(spans)) if spans else doc


@Language.component("unit_shapes")
def unit_shapes(doc: Doc) -> Doc:
    spans = unit_spans(doc.text)
    if not spans:
        return doc
    ents = [Entity(e.label_, e.start_char, e.end_char, e.text) for e in doc.ents]
    titles = [e for e in ents if e.label in TITLE_LABELS]
    listed = [e for e in ents if e.label not in TITLE_LABELS]
    return _set_ents(doc, _longest_first(listed + spans, titles))


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policy_titles")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False})
    ruler.add_patterns(
        [{"label": "AGENCY", "pattern": name} for name in sorted(national_agencies()) if len(name) >= 4]
    )
    nlp.add_pipe("unit_shapes")
    return nlp


_custom: Language | None = None


def use_pipeline(nlp: Language | None) -> None:
    """Recognize with this spaCy pipeline (e.g. `pipeline()` with more ruler patterns, or a
    trained model emitting AGENCY / POLICY / DOC_NUMBER); None goes back to the rules."""
    global _custom
    _custom = nlp
    _entities.cache_clear()


TITLE_LABELS = frozenset({"POLICY", "DOC_NUMBER"})


def entities(text: str, labels: frozenset[str] | None = None) -> list[Entity]:
    if _custom is None and labels is not None and labels <= TITLE_LABELS:
        # titles and 文号 take precedence over every other rule: nothing else can move them
        return [e for e in _longest_first(title_spans(text)) if e.label in labels]
    return [e for e in _entities(text) if labels is None or e.label in labels]


@lru_cache(maxsize=65536)
def _entities(text: str) -> tuple[Entity, ...]:
    # unit lists repeat a great deal within and across documents: recognise each text once
    if _custom is None:
        return tuple(recognize(text))
    doc = _custom(text)
    return tuple(Entity(ent.label_, ent.start_char, ent.end_char, ent.text) for ent in doc.ents)


def agencies_in(text: str) -> list[Entity]:
    return entities(text, frozenset({"AGENCY"}))
