"""A second, independent contrast check: the rendered pixels of text that axe-core could not decide.

axe-core computes contrast from the CSS cascade and gives up ("incomplete") when it cannot tell what is
behind the text: a pseudo-element, an image, SVG, a box that partly overlaps, a text shadow. This check
does not reason about CSS at all. For each element axe left undecided for `color-contrast` it takes two
screenshots of the element's box in Chromium: one as the user sees it and one with only the element's own
glyphs made transparent (``-webkit-text-fill-color`` for HTML, ``fill-opacity`` for SVG text; borders,
underlines, shadows and everything around stay). The pixels that differ are the text; the second
screenshot gives the real background under each of them, whatever drew it. The text colour is the
element's computed colour (with its alpha and the opacity of its ancestors, blended over that
background), as WCAG defines contrast between the text colour and its background. The element's ratio is
the lowest over its text pixels, so text that crosses a darker patch fails even if most of it is fine.

Thresholds (WCAG 2.2 SC 1.4.3): 4.5:1, or 3:1 for large text (at least 24 px, or 18.66 px bold, i.e.
18 pt / 14 pt bold). An element with no text pixels (not painted, clipped away, off screen) stays
undecided and is left for a person, with its screenshot.

It runs on the page the axe test already has open (tests/accessibility/test_axe_playwright.py), writes
its verdict into the axe node (``pixel_check``), which axe_support.judge saves with the raw results, and
saves each screenshot under reports/accessibility/review-shots/ for the review list (contrast_review.py).
No image library is needed: the screenshots are PNGs that png_pixels() decodes with zlib.
"""

from __future__ import annotations

import shutil
import struct
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import contrast_review

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
SHOTS_DIR = PROJECT / "reports" / "accessibility" / "review-shots"

RULE = "color-contrast"
NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0
# WCAG's "large scale": 18 point, or 14 point bold; CSS px are 0.75 pt.
LARGE_PX = 24.0
LARGE_BOLD_PX = 18.66
# A pixel is part of the text when a channel changed by more than this when the glyphs were removed:
# it leaves out the faintest anti-aliasing (which carries almost no text) but no glyph body.
DIFF_THRESHOLD = 24
SCREENSHOT_TIMEOUT_MS = 3000
PROBE = "data-contrast-probe"

# Only the probed element's own glyphs go transparent: its descendants get their normal fill back, so a
# link inside a paragraph is measured as the link (axe lists it on its own).
PROBE_CSS = f"""
[{PROBE}]:not(svg *) {{ -webkit-text-fill-color: transparent !important; }}
[{PROBE}]:not(svg *) * {{ -webkit-text-fill-color: initial !important; }}
svg [{PROBE}] {{ fill-opacity: 0 !important; stroke-opacity: 0 !important; }}
"""

# What the page tells about the element: its box, whether it is painted, its text colour with the opacity
# of the element and its ancestors, its font size and weight. null when the element is gone.
DESCRIBE_JS = """
(element) => {
  if (!element || !element.isConnected) return null;
  const style = getComputedStyle(element);
  const svg = element instanceof SVGElement;
  let opacity = 1;
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    opacity *= parseFloat(getComputedStyle(node).opacity || '1');
  }
  element.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const box = element.getBoundingClientRect();
  // The part of the box inside the viewport, in whole CSS pixels (the screenshot's clip).
  const left = Math.max(0, Math.floor(box.left)), top = Math.max(0, Math.floor(box.top));
  const right = Math.min(innerWidth, Math.ceil(box.right)), bottom = Math.min(innerHeight, Math.ceil(box.bottom));
  const visible = element.checkVisibility ? element.checkVisibility({visibilityProperty: true, opacityProperty: true}) : true;
  return {
    clip: {x: left, y: top, width: right - left, height: bottom - top},
    colour: svg ? style.fill : style.webkitTextFillColor || style.color,
    colour_opacity: svg ? parseFloat(style.fillOpacity || '1') : 1,
    opacity,
    font_size: parseFloat(style.fontSize),
    font_weight: parseInt(style.fontWeight, 10) || 400,
    visible,
  };
}
"""


@dataclass
class PixelVerdict:
    """The pixel check's result for one element."""

    verdict: str  # "pass", "fail" or "undecided"
    ratio: float | None = None  # the lowest contrast over the text's pixels
    median_ratio: float | None = None
    required: float | None = None
    large_text: bool | None = None
    text_colour: str | None = None
    worst_background: str | None = None  # the background pixel that gave the lowest ratio
    text_pixels: int = 0
    reason: str = ""
    screenshot: str | None = None  # relative to reports/accessibility/

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


# --- colour arithmetic (WCAG 2.2 definitions) --------------------------------------------------------


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour with 0-255 channels."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def parse_css_colour(value: str) -> tuple[float, float, float, float] | None:
    """(r, g, b, alpha) of a computed colour ("rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)", "color(srgb 0 0 0)");
    None for anything else (a gradient, "none", a paint server)."""
    value = value.strip()
    try:
        if value.startswith(("rgb(", "rgba(")):
            inner = value[value.index("(") + 1 : value.rindex(")")].replace("/", ",").replace(" ", ",")
            parts = [float(p) for p in inner.split(",") if p]
            r, g, b = parts[:3]
            return r, g, b, parts[3] if len(parts) > 3 else 1.0
        if value.startswith("color(srgb"):
            inner = value[len("color(srgb") : value.rindex(")")].replace("/", " ").split()
            parts = [float(p) for p in inner]
            return parts[0] * 255, parts[1] * 255, parts[2] * 255, parts[3] if len(parts) > 3 else 1.0
    except (ValueError, IndexError):
        return None
    return None


def hex_colour(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


def is_large_text(font_size_px: float, font_weight: int) -> bool:
    return font_size_px >= LARGE_PX or (font_size_px >= LARGE_BOLD_PX and font_weight >= 700)


# --- PNG decoding (Chromium's screenshots: 8-bit RGB or RGBA, not interlaced) ------------------------


def _add_bytes(a: bytes, b: bytes) -> bytes:
    """a + b byte by byte, modulo 256, as big integers: the low seven bits of each byte are added (their carry
    stays in the byte's top bit), then the top bits are added without carry by an exclusive or."""
    n = len(a)
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows) of a PNG; each row holds width RGB triples (alpha dropped: a screenshot is opaque)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, chunks, width, height, bpp = 8, [], 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour_type not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
            bpp = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1 : offset + 1 + stride])
        offset += 1 + stride
        if kind == 1:  # Sub
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif kind == 2:  # Up: bytewise addition modulo 256 of whole rows at once (most rows of a screenshot)
            line = bytearray(_add_bytes(bytes(line), bytes(previous)))
        elif kind == 3:  # Average
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + previous[x]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = previous[x]
                c = previous[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        previous = line
        row = bytearray(line)
        if bpp == 4:
            del row[3::4]
        rows.append(bytes(row))
    return width, height, rows


# --- the measurement ---------------------------------------------------------------------------------


def measure(shown: bytes, without_text: bytes, colour: tuple[float, float, float, float], large: bool) -> PixelVerdict:
    """The verdict from the two screenshots of one element (as shown, and with its glyphs transparent)."""
    width, height, rows_shown = png_pixels(shown)
    width_b, height_b, rows_bare = png_pixels(without_text)
    required = LARGE_TEXT if large else NORMAL_TEXT
    if (width, height) != (width_b, height_b):
        return PixelVerdict("undecided", required=required, large_text=large, reason="the element moved")
    r, g, b, alpha = colour
    ratios: list[tuple[float, tuple[int, int, int]]] = []
    cache: dict[tuple[int, int, int], float] = {}
    for row_shown, row_bare in zip(rows_shown, rows_bare, strict=True):
        if row_shown == row_bare:
            continue
        for x in range(0, len(row_shown), 3):
            s, t = row_shown[x : x + 3], row_bare[x : x + 3]
            if s == t or max(abs(s[0] - t[0]), abs(s[1] - t[1]), abs(s[2] - t[2])) <= DIFF_THRESHOLD:
                continue
            background = (t[0], t[1], t[2])
            ratio = cache.get(background)
            if ratio is None:
                text = (
                    r * alpha + background[0] * (1 - alpha),
                    g * alpha + background[1] * (1 - alpha),
                    b * alpha + background[2] * (1 - alpha),
                )
                ratio = cache[background] = contrast_ratio(text, background)
            ratios.append((ratio, background))
    if not ratios:
        return PixelVerdict(
            "undecided", required=required, large_text=large, reason="no text pixels: the text is not painted here"
        )
    ratios.sort(key=lambda item: item[0])
    worst, worst_background = ratios[0]
    return PixelVerdict(
        "pass" if worst >= required else "fail",
        ratio=round(worst, 2),
        median_ratio=round(ratios[len(ratios) // 2][0], 2),
        required=required,
        large_text=large,
        text_colour=hex_colour((r, g, b)) + ("" if alpha >= 1 else f" at {alpha:.2f} opacity"),
        worst_background=hex_colour(worst_background),
        text_pixels=len(ratios),
    )


def _element(page: Any, target: list[Any]) -> Any:
    """The element of an axe target (a selector; a list inside it goes into a frame or shadow root)."""
    if not target or not all(isinstance(part, str) for part in target):
        return None
    handle = page.query_selector(target[0])
    for part in target[1:]:
        if handle is None:
            return None
        handle = handle.evaluate_handle("(node, selector) => node.shadowRoot?.querySelector(selector)", part)
        handle = handle.as_element()
    return handle


def check_element(
    page: Any, handle: Any, shot_path: Path | None = None, shot_root: Path = SHOTS_DIR.parent
) -> PixelVerdict:
    """Measure one element on the page (check_page installs the probe stylesheet); its screenshot as shown is
    saved to shot_path and named in the verdict relative to shot_root."""
    info = handle.evaluate(DESCRIBE_JS)
    if info is None:
        return PixelVerdict("undecided", reason="the element is no longer on the page")
    large = is_large_text(info["font_size"], info["font_weight"])
    required = LARGE_TEXT if large else NORMAL_TEXT
    clip = info["clip"]
    if not info["visible"] or clip["width"] < 1 or clip["height"] < 1:
        return PixelVerdict("undecided", required=required, large_text=large, reason="the element is not painted")
    colour = parse_css_colour(info["colour"])
    if colour is None:
        return PixelVerdict(
            "undecided", required=required, large_text=large, reason=f"text colour {info['colour']!r} is not a colour"
        )
    alpha = colour[3] * info["colour_opacity"] * info["opacity"]
    # page.screenshot with a clip, not the element's own screenshot: a third of the time (no waiting for the
    # element to be "stable" and no scrolling, which DESCRIBE_JS did), and the same clip for both pictures.
    options = {
        "clip": clip,
        "animations": "disabled",
        "caret": "hide",
        "scale": "css",
        "timeout": SCREENSHOT_TIMEOUT_MS,
    }
    try:
        shown = page.screenshot(**options)
        handle.evaluate(f"node => node.setAttribute('{PROBE}', '')")
        try:
            without_text = page.screenshot(**options)
        finally:
            handle.evaluate(f"node => node.removeAttribute('{PROBE}')")
    except Exception as error:  # Playwright's TimeoutError/Error: the element cannot be photographed
        return PixelVerdict(
            "undecided", required=required, large_text=large, reason=f"no screenshot: {str(error).splitlines()[0]}"
        )
    verdict = measure(shown, without_text, (colour[0], colour[1], colour[2], alpha), large)
    if shot_path is not None:
        shot_path.parent.mkdir(parents=True, exist_ok=True)
        shot_path.write_bytes(shown)
        verdict.screenshot = shot_path.relative_to(shot_root).as_posix()
    return verdict


INSTALL_JS = """
css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  window.__contrastProbeSheet = sheet;
}
"""
# A constructed stylesheet, not a <style> element: the page's Content-Security-Policy stays as it is.
REMOVE_JS = """
() => {
  const sheet = window.__contrastProbeSheet;
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== sheet);
  delete window.__contrastProbeSheet;
  window.scrollTo(0, 0);
}
"""


def check_page(page: Any, results: dict[str, Any], name: str, shots_dir: Path = SHOTS_DIR) -> list[dict[str, Any]]:
    """Run the pixel check on every `color-contrast` node that axe left incomplete in ``results`` (axe.run's
    result for ``page``), write the verdict into each node as ``pixel_check`` and return the nodes that
    failed. ``name`` names the screenshots (<shots_dir>/<name>/<n>.png). The page is left as it was, scrolled
    back to the top, for the checks that read it next."""
    started = time.perf_counter()
    folder = shots_dir / name
    shutil.rmtree(folder, ignore_errors=True)  # the state's pictures of an earlier run
    nodes = [node for rule in results.get("incomplete") or [] if rule.get("id") == RULE for node in rule["nodes"]]
    failed = []
    if nodes:
        page.evaluate(INSTALL_JS, PROBE_CSS)
        try:
            for index, node in enumerate(nodes, start=1):
                handle = _element(page, node.get("target") or [])
                if handle is None:
                    verdict = PixelVerdict("undecided", reason="the element could not be found again")
                else:
                    verdict = check_element(page, handle, folder / f"{index}.png", shots_dir.parent)
                    handle.dispose()
                node["pixel_check"] = verdict.as_dict()
                if verdict.verdict == "fail":
                    failed.append(node)
        finally:
            page.evaluate(REMOVE_JS)
    _picture_other_items(page, results, folder, shots_dir.parent)
    # The check's own cost, saved with the raw results (the suite's time budget).
    results["pixel_check"] = {"elements": len(nodes), "seconds": round(time.perf_counter() - started, 3)}
    return failed


def _picture_other_items(page: Any, results: dict[str, Any], folder: Path, root: Path) -> None:
    """A screenshot of the first element of each pattern that axe left incomplete for another rule than
    colour contrast (contrast_review groups them so), for the review list: ``review_screenshot`` in the node."""
    seen: set[tuple[str, str]] = set()
    for rule in results.get("incomplete") or []:
        if rule.get("id") == RULE:
            continue
        for index, node in enumerate(rule.get("nodes") or [], start=1):
            key = (rule.get("id", ""), contrast_review.pattern_of(node.get("target") or []))
            if key in seen:
                continue
            seen.add(key)
            handle = _element(page, node.get("target") or [])
            if handle is None:
                continue
            try:
                clip = handle.evaluate(DESCRIBE_JS)["clip"]
                if clip["width"] >= 1 and clip["height"] >= 1:
                    path = folder / f"{rule.get('id')}-{index}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(page.screenshot(clip=clip, animations="disabled", caret="hide", scale="css"))
                    node["review_screenshot"] = path.relative_to(root).as_posix()
            except Exception:  # noqa: BLE001 - a picture is a help for the reviewer, never a failure
                pass
            finally:
                handle.dispose()
    page.evaluate("() => window.scrollTo(0, 0)")


def failure_message(failed: list[dict[str, Any]]) -> str:
    lines = [f"{len(failed)} element(s) below the contrast minimum, measured in the rendered pixels:"]
    for node in failed:
        check = node["pixel_check"]
        lines.append(
            f"  {' '.join(map(str, node.get('target') or []))}: {check.get('ratio')}:1 < {check.get('required')}:1 "
            f"(text {check.get('text_colour')} on {check.get('worst_background')}; {node.get('html', '')[:120]})"
        )
    return "\n".join(lines)
