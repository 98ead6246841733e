"""The recognizers run as plain rules by default; the spaCy pipeline is the same rules and
must find the same entities on every sentence and cell of the corpora."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS
from policykg.bench import corpus as synthetic
from policykg.ingest import nlp
from policykg.ingest.text import sentences, split_top_level


def _pieces(text: str) -> list[str]:
    out = []
    for s, e in sentences(text):
        out.append(text[s:e])
        out += [text[s:e][a:b] for a, b in split_top_level(text[s:e], "|\t")]
    return out


def _spacy(text: str) -> list[nlp.Entity]:
    return [nlp.Entity(e.label_, e.start_char, e.end_char, e.text) for e in nlp.pipeline()(text).ents]


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("nlp-corpus")
    synthetic.write_corpus(folder, 30, seed=3)
    paths = sorted(SEEDS.glob("*.txt")) + sorted(Path(folder).rglob("*.txt"))
    return [piece for path in paths for piece in _pieces(path.read_text(encoding="utf-8"))]


def test_rules_and_spacy_pipeline_agree(texts: list[str]) -> None:
    assert len(texts) > 1000
    differ = [t for t in texts if nlp.recognize(t) != _spacy(t)]
    assert differ == []
    # citations ask for titles and 文号 only, which skips the agency rules
    only_titles = [[e for e in _spacy(t) if e.label in nlp.TITLE_LABELS] for t in texts]
    assert [nlp.entities(t, nlp.TITLE_LABELS) for t in texts] == only_titles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依据《知识产权强国建设纲要(2021-2035年)》", [("POLICY", "《知识产权强国建设纲要(2021-2035年)》")]),
        ("苏府办〔2021〕136号", [("DOC_NUMBER", "苏府办〔2021〕136号")]),
        ("市科技局、国家知识产权局", [("AGENCY", "市科技局"), ("AGENCY", "国家知识产权局")]),
        ("由财政部牵头", [("AGENCY", "财政部")]),
    ],
)
def test_one_line(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.label, e.text) for e in nlp.entities(text)] == expected


def test_a_custom_pipeline_is_used_and_can_be_removed() -> None:
    custom = nlp.pipeline()
    try:
        nlp.use_pipeline(custom)
        assert [e.text for e in nlp.agencies_in("市科技局牵头")] == ["市科技局"]
    finally:
        nlp.use_pipeline(None)
