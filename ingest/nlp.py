"""Recognition of agencies, policy titles and document numbers as a spaCy pipeline.

    blank "zh" (one token per character)
      → policy_titles   《title》 spans as POLICY, 文号 such as 苏府办〔2021〕136号 as DOC_NUMBER
      → entity_ruler    gazetteer phrases (national bodies; add your own patterns) as AGENCY
      → unit_shapes     each item of a list of units that has the shape of an agency as AGENCY

A user can add patterns to the entity ruler (`pipeline().get_pipe("entity_ruler")`) or
replace the pipeline by a trained model that emits the same labels: the extractors read
only `doc.ents`. Extractors call it on short texts (sentences, table cells, unit lists), not
on whole files, which keeps extraction fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from policykg.ingest.agencies import is_agency, national_agencies, split_units
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

# 《…》 with anything but another 《 inside (nested titles use 〈〉); at most 120 characters.
POLICY_RE = re.compile(r"《([^《》\n]{2,120})》")
# 文号: issuer code, year in brackets, serial number: 苏府办〔2021〕136号, 冀政字(2021)66号,
# 保政办发2021)11号 (a bracket lost to OCR), 国办发[2013]88号.
DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［(（]?\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d{1,4}\s*号"
)
ROLE_WORDS = re.compile(
    r"(?:负责牵头|牵头负责|牵头|按职责分工负责|分工负责|共同负责|负责|配合|参与|协同|等)+$"
)


class CharTokenizer:
    """One token per character: fast and exact for Chinese spans (char offsets = token offsets)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))


@Language.component("policy_titles")
def policy_titles(doc: Doc) -> Doc:
    text = doc.text
    if "《" not in text and "号" not in text:
        return doc
    spans = [doc.char_span(m.start(), m.end(), label="POLICY") for m in POLICY_RE.finditer(text)]
    spans += [doc.char_span(m.start(), m.end(), label="DOC_NUMBER") for m in DOC_NUMBER_RE.finditer(text)]
    if spans:
        # the first component: no entities to keep (reading doc.ents walks every token)
        doc.ents = filter_spans([s for s in spans if s is not None])
    return doc


@Language.component("unit_shapes")
def unit_shapes(doc: Doc) -> Doc:
    """Items of a unit list (split at 、，; outside brackets) that look like agencies."""
    text = doc.text
    found: list[Span] = []
    for s, e in split_units(text):
        piece = text[s:e]
        m = ROLE_WORDS.search(piece)
        if m:
            e = s + m.start()
            piece = text[s:e]
        if piece and is_agency(piece):
            span = doc.char_span(s, e, label="AGENCY")
            if span is not None:
                found.append(span)
    if not found:
        return doc
    ents = list(doc.ents)
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    extra = [sp for sp in found if not any(i in taken for i in range(sp.start, sp.end))]
    doc.ents = filter_spans([*ents, *extra])
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policy_titles")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False})
    ruler.add_patterns([{"label": "AGENCY", "pattern": name} for name in sorted(national_agencies())])
    nlp.add_pipe("unit_shapes")
    return nlp


@dataclass(frozen=True, slots=True)
class Entity:
    label: str
    start: int  # offsets relative to the text passed in
    end: int
    text: str


def entities(text: str, labels: frozenset[str] | None = None) -> list[Entity]:
    return [e for e in _entities(text) if labels is None or e.label in labels]


@lru_cache(maxsize=65536)
def _entities(text: str) -> tuple[Entity, ...]:
    # unit lists repeat a great deal within and across documents: recognise each text once
    doc = pipeline()(text)
    return tuple(Entity(ent.label_, ent.start_char, ent.end_char, ent.text) for ent in doc.ents)


def agencies_in(text: str) -> list[Entity]:
    return entities(text, frozenset({"AGENCY"}))
