"""The pixel contrast check (contrast_pixels.py): the WCAG arithmetic, the PNG decoding with every filter
type, the measurement on hand-made pictures, and in Chromium a test page whose text sits on a
pseudo-element background: axe-core leaves all of it undecided, the pixel check fails the low-contrast
paragraph and passes the good one.

Hand-derived figures (WCAG 2.2 relative luminance, sRGB channels c/255, linearised as
((c + 0.055) / 1.055) ** 2.4 above 0.04045):
- #949494: 148/255 = 0.5804 -> 0.2961, so white on it is (1 + 0.05) / (0.2961 + 0.05) = 3.03.
- #1a5fb4: R 0.0103, G 0.1144, B 0.4564 -> L = 0.2126 * 0.0103 + 0.7152 * 0.1144 + 0.0722 * 0.4564 = 0.1170,
  so white on it is 1.05 / 0.1670 = 6.29 (the link colour's 6.3 in main.css's header).
- #0b0c0c on itself is 1:1; on white, 19.59 (text colour of main.css, 19.6 in its header).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from . import contrast_pixels as cp
from .axe_support import axe_source, new_context

FIXTURE = Path(__file__).parent / "fixtures" / "contrast-pseudo.html"


# --- arithmetic -----------------------------------------------------------------------------------


def test_contrast_ratio_of_hand_derived_pairs():
    white = (255, 255, 255)
    assert round(cp.contrast_ratio(white, (0, 0, 0)), 2) == 21.0
    assert round(cp.contrast_ratio(white, (0x94, 0x94, 0x94)), 2) == 3.03
    assert round(cp.contrast_ratio((0x1A, 0x5F, 0xB4), white), 2) == 6.29
    assert cp.contrast_ratio(white, white) == 1.0


def test_large_text_is_18_point_or_14_point_bold():
    assert cp.is_large_text(24, 400) and not cp.is_large_text(23.9, 400)
    assert cp.is_large_text(18.67, 700) and not cp.is_large_text(18.67, 600) and not cp.is_large_text(18, 700)


def test_computed_colours_are_parsed():
    assert cp.parse_css_colour("rgb(11, 12, 12)") == (11, 12, 12, 1.0)
    assert cp.parse_css_colour("rgba(0, 0, 0, 0.5)") == (0, 0, 0, 0.5)
    assert cp.parse_css_colour("color(srgb 1 0 0.5)") == (255, 0, 127.5, 1.0)
    assert cp.parse_css_colour("none") is None and cp.parse_css_colour('url("#g")') is None


# --- PNG ------------------------------------------------------------------------------------------


def _png(pixels: list[list[tuple[int, int, int]]], filters: list[int], alpha: bool = False) -> bytes:
    """A PNG of the pixels, each row encoded with the given filter type (0 None ... 4 Paeth)."""
    bpp = 4 if alpha else 3
    raw, previous = b"", bytes(len(pixels[0]) * bpp)
    for row, kind in zip(pixels, filters, strict=True):
        line = bytes(v for p in row for v in (p + (255,) if alpha else p))
        out = bytearray()
        for x, value in enumerate(line):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            p = a + b - c
            paeth = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
            predictor = [0, a, b, (a + b) // 2, paeth][kind]
            out.append((value - predictor) & 0xFF)
        raw += bytes([kind]) + bytes(out)
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", len(pixels[0]), len(pixels), 8, 6 if alpha else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PICTURE = [
    [((x * 37 + y * 11) % 256, (x * 5 + y * 90) % 256, (x * y * 7 + 3) % 256) for x in range(6)] for y in range(5)
]


@pytest.mark.parametrize("alpha", [False, True])
def test_png_pixels_undoes_every_filter(alpha):
    width, height, rows = cp.png_pixels(_png(PICTURE, [0, 1, 2, 3, 4], alpha))
    assert (width, height) == (6, 5)
    assert rows == [bytes(v for p in row for v in p) for row in PICTURE]


def _pictures(bare, glyphs):
    """The black, white and bare pictures of an element whose glyphs cover the given (x, y) pixels fully."""
    black, white = [row[:] for row in bare], [row[:] for row in bare]
    for x, y in glyphs:
        black[y][x], white[y][x] = (0, 0, 0), (255, 255, 255)
    return _png(black, [0, 1, 4][: len(bare)]), _png(white, [2, 3, 0][: len(bare)]), _png(bare, [4, 2, 1][: len(bare)])


def test_measure_finds_the_text_pixels_and_the_lowest_ratio():
    grey, blue = (0x94, 0x94, 0x94), (0x1A, 0x5F, 0xB4)
    # Grey on the left half, blue on the right; four glyph pixels, two on each.
    bare = [[grey] * 3 + [blue] * 3 for _ in range(3)]
    glyphs = [(1, 1), (2, 1), (4, 1), (5, 2)]
    verdict = cp.measure(*_pictures(bare, glyphs), (255, 255, 255, 1.0), large=False)
    assert (verdict.verdict, verdict.ratio, verdict.median_ratio) == ("fail", 3.03, 6.29)
    assert verdict.text_pixels == 4 and verdict.worst_background == "#949494" and verdict.required == 4.5
    large = cp.measure(*_pictures(bare, glyphs), (255, 255, 255, 1.0), large=True)
    assert (large.verdict, large.required) == ("pass", 3.0)
    nothing = cp.measure(*_pictures(bare, []), (255, 255, 255, 1.0), large=False)
    assert nothing.verdict == "undecided" and "no text pixels" in nothing.reason


def test_text_of_the_backgrounds_own_colour_is_found_and_fails():
    # Black text over a background that is white on the left and black on the right: where the text crosses
    # the black, it is invisible. The black and white pictures still show where the glyphs are.
    white, black = (255, 255, 255), (0, 0, 0)
    bare = [[white, white, black, black]]
    verdict = cp.measure(*_pictures(bare, [(1, 0), (2, 0)]), (*black, 1.0), large=False)
    assert (verdict.verdict, verdict.ratio, verdict.median_ratio, verdict.text_pixels) == ("fail", 1.0, 21.0, 2)


def test_half_transparent_text_is_blended_over_its_background():
    white, black = (255, 255, 255), (0, 0, 0)
    verdict = cp.measure(*_pictures([[white] * 2], [(0, 0)]), (*black, 0.5), large=False)
    # Black at half opacity on white is 127.5 a channel: 0.5 -> ((0.5 + 0.055) / 1.055) ** 2.4 = 0.2140, so
    # 1.05 / (0.2140 + 0.05) = 3.98 to 1, below 4.5 (a person would see the grey text, not the black).
    assert verdict.verdict == "fail" and verdict.ratio == 3.98


def test_anti_aliased_edges_below_the_coverage_are_not_text():
    white = (255, 255, 255)
    black_picture, white_picture = [[(0, 0, 0), (200, 200, 200)]], [[white, white]]  # coverage 1 and 0.22
    verdict = cp.measure(
        _png(black_picture, [0]), _png(white_picture, [0]), _png([[white, white]], [0]), (0, 0, 0, 1), False
    )
    assert verdict.text_pixels == 1 and verdict.ratio == 21.0


# --- in Chromium ----------------------------------------------------------------------------------


@pytest.fixture()
def fixture_page(pw_browser):
    context = new_context(pw_browser, "en")
    page = context.new_page()
    page.set_content(FIXTURE.read_text(encoding="utf-8"))
    yield page
    context.close()


@pytest.mark.browser
def test_text_over_a_pseudo_element_background_is_measured(fixture_page, tmp_path):
    fixture_page.evaluate(axe_source())
    results = fixture_page.evaluate(
        "() => axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations', 'incomplete']})"
    )
    assert results["violations"] == []  # axe decides nothing here ...
    [rule] = results["incomplete"]
    nodes = {node["target"][0]: node for node in rule["nodes"]}
    assert set(nodes) == {"#low", "#good", "#large", "#split"}
    assert all(n["any"][0]["data"]["messageKey"] == "pseudoContent" for n in nodes.values())

    failed = cp.check_page(fixture_page, results, "fixture", tmp_path / "shots")  # ... the pixels do

    assert [node["target"][0] for node in failed] == ["#low", "#split"]
    low, good, large = (nodes[t]["pixel_check"] for t in ("#low", "#good", "#large"))
    assert (low["verdict"], low["ratio"], low["required"], low["worst_background"]) == ("fail", 3.03, 4.5, "#949494")
    assert (good["verdict"], good["ratio"], good["worst_background"]) == ("pass", 6.29, "#1a5fb4")
    assert (large["verdict"], large["ratio"], large["required"], large["large_text"]) == ("pass", 3.03, 3.0, True)
    # Dark text that runs from a white background onto a dark one of its own colour: invisible there.
    split = nodes["#split"]["pixel_check"]
    assert (split["verdict"], split["ratio"], split["median_ratio"]) == ("fail", 1.0, 19.59)
    assert low["text_pixels"] > 200 and low["text_colour"] == "#ffffff"
    assert (tmp_path / low["screenshot"]).is_file() and low["screenshot"].startswith("shots/fixture/")
    assert results["pixel_check"]["elements"] == 4
    # The page is left as it was: no probe stylesheet, no marked element, scrolled to the top.
    assert fixture_page.evaluate(
        "() => document.adoptedStyleSheets.length === 0 && !document.querySelector('[data-contrast-probe]')"
        " && scrollY === 0"
    )
    assert "3.03:1 < 4.5:1" in cp.failure_message(failed)
