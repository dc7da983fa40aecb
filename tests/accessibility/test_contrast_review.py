"""The review list's grouping (contrast_review.py): selector patterns, components, the pixel check's
verdicts carried to the other engines' runs of the same element, the recount, and incomplete.md."""

from __future__ import annotations

from . import contrast_review as cr

PSEUDO = "Element's background color could not be determined due to a pseudo element"
SVG = "Element's background color could not be determined because element contains an image node"


def item(target, engine="playwright", lang="fi", state="results", rule="color-contrast", message=PSEUDO, **extra):
    return {
        "rule": rule,
        "help": "Elements must meet minimum color contrast ratio thresholds",
        "helpUrl": "https://example.test/rule",
        "wcag": ["1.4.3"],
        "page": "plan",
        "state": state,
        "language": lang,
        "engine": engine,
        "target": target,
        "html": extra.pop("html", "<dt>Deadline</dt>"),
        "message": message,
        **extra,
    }


def test_pattern_leaves_out_ids_positions_and_attribute_values():
    assert (
        cr.pattern_of(['#task-vat > .checklist__facts > div:nth-child(2) > dd > a[href="tel:+35825550250"]'])
        == ".checklist__facts > div > dd > a"
    )
    long = "#results-map > .leaflet-control-container > .leaflet-top.leaflet-left > .leaflet-control-zoom-out > span"
    assert (
        cr.pattern_of([long])
        == cr.pattern_of([".leaflet-control-zoom-out > span"])
        == ".leaflet-control-zoom-out > span"
    )
    assert cr.pattern_of(["#task-a > dl > div:nth-child(1) > dt"]) == "#id > dl > div > dt"  # no class: the whole path
    assert cr.pattern_of(["#leaflet-tooltip-46 > span"]) == cr.pattern_of(["#leaflet-tooltip-7 > span"])
    assert cr.pattern_of([["#frame", "p:nth-of-type(3)"]]) == "#id p"


def test_component_is_the_block_of_the_first_class():
    assert cr.component_of("#id > .checklist__facts > div > dt") == "checklist"
    assert cr.component_of(".leaflet-control-scale-line") == "leaflet (map)"
    assert cr.component_of("svg > .chart__label") == "chart"
    assert cr.component_of("#id", '<p class="hint" id="x">') == "hint"
    assert cr.component_of("#id > span", "<span>Home</span>") == "span"


def test_the_pixel_verdict_decides_the_same_element_in_other_engines_runs():
    checked = {"verdict": "pass", "ratio": 12.8, "required": 4.5, "screenshot": "review-shots/fi/plan-results/1.png"}
    items = [
        item("#task-a > dl > div:nth-child(1) > dt", pixel_check=checked),
        item("#task-a > dl > div:nth-child(1) > dt", engine="selenium"),  # the same element: decided
        item("#task-a > dl > div:nth-child(1) > dt", engine="selenium", lang="sv"),  # another language: not
        item("#task-b > dl > div:nth-child(1) > dt", pixel_check={"verdict": "undecided", "reason": "not painted"}),
        item("svg > text", message=SVG, pixel_check={"verdict": "fail", "ratio": 2.1, "required": 4.5}),
        item(".leaflet-control-zoom-in", rule="label-content-name-mismatch", message="Unable to determine"),
    ]
    cr.apply_pixel_verdicts(items)
    assert [i["decided"] for i in items] == ["pass", "pass", None, None, "fail", None]
    assert items[1]["screenshot"] == "review-shots/fi/plan-results/1.png"

    rules = {
        "color-contrast": {
            "incomplete": 5,
            "incomplete_runs": ["playwright/fi/plan-results", "selenium/fi/plan-results", "selenium/sv/plan-results"],
        },
        "label-content-name-mismatch": {"incomplete": 1, "incomplete_runs": ["playwright/fi/plan-results"]},
    }
    totals = cr.recount(rules, items)
    assert totals == {
        "incomplete_axe": 6,
        "decided_by_pixels": 3,
        "passed_by_pixels": 2,
        "failed_by_pixels": 1,
        "still_to_review": 3,
    }
    contrast = rules["color-contrast"]
    assert (contrast["incomplete_axe"], contrast["decided_by_pixels"], contrast["incomplete"]) == (5, 3, 2)
    assert contrast["incomplete_runs"] == ["playwright/fi/plan-results", "selenium/sv/plan-results"]


def test_groups_and_the_review_list():
    shot = "review-shots/fi/plan-results/2.png"
    items = [
        item(f"#task-{n} > dl > div:nth-child({k}) > dt", lang=lang, screenshot=shot if n == 0 else None)
        for n in range(20)
        for k in (1, 2)
        for lang in ("fi", "sv", "en")
    ]
    svg_text = {"verdict": "pass", "ratio": 19.59, "required": 4.5}
    items.append(item("svg > text", message=SVG, html='<text x="3" y="24">4</text>', pixel_check=svg_text))
    cr.apply_pixel_verdicts(items)
    groups = cr.group_items(items)
    assert [(len(g["items"]), g["pattern"], g["decided"]) for g in groups] == [
        (120, "#id > dl > div > dt", None),
        (1, "svg > text", "pass"),
    ]
    assert groups[0]["languages"] == ["en", "fi", "sv"] and groups[0]["screenshot"] == shot

    text = cr.review_markdown(items, "2026-12-05T00:00:00+00:00")
    assert "**120 item(s) in 1 group(s) are still to review**" in text
    assert "### 1. color-contrast: dt `#id > dl > div > dt`" in text
    assert f"![#id > dl > div > dt]({shot})" in text
    assert "| pass | chart | `svg > text` |" not in text  # no class: the component is the tag
    assert "| pass | text | `svg > text` |" in text and "| 19.59:1 | 4.5:1 |" in text
    assert "measured the rendered text of 1 of the 121 colour-contrast items: 1 pass, 0 fail" in text


def test_reasons_differing_only_in_a_figure_group_together():
    assert cr.reason_of("Element has a contrast of 4.2 with 12 pixels") == "Element has a contrast of N with N pixels"


def test_the_pixel_checks_cost_is_summed_over_the_runs():
    results = [{"pixel_check": {"elements": 9, "seconds": 1.25}}, {}, {"pixel_check": {"elements": 0, "seconds": 0.01}}]
    assert cr.pixel_check_cost(results) == {"runs": 2, "elements": 9, "seconds": 1.3}
