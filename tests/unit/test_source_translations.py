"""Every citation ("Source:") of the parameter files and the demo catalogue reaches the fi and sv catalogs.

Pages show sources in their language (issue 12, item 7); the API keeps the English. A source is split into
parts on ';' the way configurator.rules.join_sources splits it, and each part is one catalog entry.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from babel.support import Translations

from configurator.babel_extract import extract_sources, source_msgid, source_parts, source_texts

ROOT = Path(__file__).resolve().parents[2]
CITING_FILES = sorted((ROOT / "configurator" / "parameters").glob("*.yaml")) + [
    ROOT / "portal" / "demo" / "turku_region.yaml"
]


def all_source_ids() -> set[str]:
    found: set[str] = set()
    for path in CITING_FILES:
        found |= source_texts(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def compiled(lang: str) -> Translations:
    """The .mo the app loads (`make translations`); fuzzy entries are not compiled, so they count as missing."""
    translations = Translations.load(str(ROOT / "translations"), [lang])
    assert isinstance(translations, Translations), f"no compiled {lang} catalog: run make translations"
    return translations


def test_a_source_splits_into_parts_as_join_sources_does() -> None:
    assert source_parts("Act 1503/2016 s.5; Kuntaliitto circular 19/2023") == [
        "Act 1503/2016 s.5",
        "Kuntaliitto circular 19/2023",
    ]
    assert source_parts("A (up to age 68; 69 or 70)") == ["A (up to age 68", "69 or 70)"]
    assert source_parts("Kela") == ["Kela"]


def test_percent_signs_are_doubled_in_the_catalog_id() -> None:
    # '25.5 % of' would otherwise be a '% o' placeholder that every translation must repeat
    assert (
        source_msgid("VAT Act 1501/1993 s.84 as amended (25.5 % from 2024-09-01)")
        == "VAT Act 1501/1993 s.84 as amended (25.5 %% from 2024-09-01)"
    )


def test_extractor_yields_every_part_with_its_line() -> None:
    text = (
        "fee:\n  values:\n    2024-01-01:\n      value: 1\n      source: Act 1503/2016 s.5; Kuntaliitto circular 19/2023\n"
        "    2026-01-01:\n      value: 2\n      source: >-\n        Income Tax Act 1535/1992 s. 124\n        (20 % from 2014)\n"
        "pricing:\n  - municipality: '853'\n    source: Turun kaupunki (demo figures)\n"
        "description: not a source\n"
    )
    found = [
        (line, message) for line, _func, message, _comments in extract_sources(io.BytesIO(text.encode()), [], [], {})
    ]
    assert found == [
        (5, "Act 1503/2016 s.5"),
        (5, "Kuntaliitto circular 19/2023"),
        (8, "Income Tax Act 1535/1992 s. 124 (20 %% from 2014)"),
        (13, "Turun kaupunki (demo figures)"),
    ]


def test_the_parameter_files_cite_many_sources() -> None:
    ids = all_source_ids()
    assert "Act 1503/2016 s.5" in ids and "Kuntaliitto circular 19/2023" in ids
    assert "Turun kaupunki, varhaiskasvatuksen palvelusetelin sääntökirja 1.8.2024 (demo figures)" in ids
    assert len(ids) > 140


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_source_part_is_translated(lang: str) -> None:
    catalog = compiled(lang)._catalog
    missing = sorted(i for i in all_source_ids() if not catalog.get(i))
    assert not missing, f"{lang}: source parts without a translation: {missing[:10]}"


@pytest.mark.parametrize(
    "lang, msgid, expected",
    [
        ("fi", "Act 1503/2016 s.5", "Laki varhaiskasvatuksen asiakasmaksuista 1503/2016, 5 §"),
        ("sv", "Act 1503/2016 s.5", "Lag om klientavgifter inom småbarnspedagogiken 1503/2016, 5 §"),
        ("fi", "Unemployment Security Act 1290/2002 ch. 6 s. 2", "Työttömyysturvalaki 1290/2002, 6 luku 2 §"),
        (
            "sv",
            "Unemployment Security Act 1290/2002 ch. 6 s. 2",
            "Lag om utkomstskydd för arbetslösa 1290/2002, 6 kap. 2 §",
        ),
        ("fi", "Kuntaliitto circular 19/2023", "Kuntaliiton yleiskirje 19/2023"),
        ("sv", "Kuntaliitto circular 19/2023", "Kommunförbundets cirkulär 19/2023"),
        ("sv", "Kela", "FPA"),
        (
            "fi",
            "Income Tax Act 1535/1992 s. 124 (20 %% from 2014)",
            "Tuloverolaki 1535/1992, 124 § (20 %% vuodesta 2014)",
        ),
        ("en", "Act 1503/2016 s.5", "Act 1503/2016 s.5"),
        (
            "en",
            "Liedon kunta, varhaiskasvatuksen palvelusetelin sääntökirja 1.8.2024 (demo figures)",
            "Municipality of Lieto, rulebook for the early childhood education service voucher 1.8.2024 (demo figures)",
        ),
    ],
)
def test_statute_titles_in_the_language(lang: str, msgid: str, expected: str) -> None:
    assert compiled(lang).ugettext(msgid) == expected


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_the_statute_numbers(lang: str) -> None:
    """A translated part names the same statute and circular numbers (1503/2016, 19/2023) as the English."""
    number = re.compile(r"\b\d{2,4}/\d{4}\b")
    catalog = compiled(lang)
    wrong = {
        i: catalog.ugettext(i)
        for i in all_source_ids()
        if sorted(number.findall(i)) != sorted(number.findall(catalog.ugettext(i)))
    }
    assert not wrong, f"{lang}: {list(wrong.items())[:5]}"
