"""A second, independent contrast check: the rendered pixels of text that axe-core could not decide.

axe-core computes contrast from the CSS cascade and gives up ("incomplete") when it cannot tell what is
behind the text: a pseudo-element, an image, SVG, a box that partly overlaps, a text shadow. This check
does not reason about CSS at all. For each element axe left undecided for `color-contrast` it takes
screenshots of the element's box in Chromium: as the user sees it (for the review list), and with only the
element's own glyphs painted transparent, black and white (``-webkit-text-fill-color`` for HTML, ``fill``
for SVG text; borders, underlines, shadows and everything around stay). A pixel is text where the black and
the white pictures differ (at least 40 % coverage): that finds the glyphs whatever their colour, also where
the text is of the background's own colour and so invisible. The transparent picture gives the real
background under each text pixel, whatever drew it. The text colour is the element's computed colour (with
its alpha and the opacity of its ancestors, blended over that background), as WCAG defines contrast between
the text colour and its background. The element's ratio is the lowest over its text pixels, so text that
crosses a darker patch fails even if most of it is fine.

Thresholds (WCAG 2.2 SC 1.4.3): 4.5:1, or 3:1 for large text (at least 24 px, or 18.66 px bold, i.e.
18 pt / 14 pt bold). An element with no text pixels (not painted, clipped away, off screen) stays
undecided and is left for a person, with its screenshot.

It runs on the page the axe test already has open (tests/accessibility/test_axe_playwright.py), writes
its verdict into the axe node (``pixel_check``), which axe_support.judge saves with the raw results, and
saves each screenshot under reports/accessibility/review-shots/ for the review list (contrast_review.py).
No image library is needed: the screenshots are PNGs that png_pixels() decodes with zlib.
"""

from __future__ import annotations

import base64
import re
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
PROBE = "data-contrast-probe"

# The probed element's own glyphs are painted transparent ("bare": what is behind the text), black or white
# (where the glyphs are: a pixel is text as far as its black and white pictures differ, whatever the colours
# of the text and the background, so text of nearly the background's colour is found too). Its descendants get
# their normal fill back, so a link inside a paragraph is measured as the link (axe lists it on its own).
PROBE_CSS = f"""
[{PROBE}=bare]:not(svg *) {{ -webkit-text-fill-color: transparent !important; }}
[{PROBE}=black]:not(svg *) {{ -webkit-text-fill-color: #000000 !important; }}
[{PROBE}=white]:not(svg *) {{ -webkit-text-fill-color: #ffffff !important; }}
[{PROBE}]:not(svg *) * {{ -webkit-text-fill-color: initial !important; }}
svg [{PROBE}] {{ stroke-opacity: 0 !important; }}
svg [{PROBE}=bare] {{ fill-opacity: 0 !important; }}
svg [{PROBE}=black] {{ fill: #000000 !important; fill-opacity: 1 !important; }}
svg [{PROBE}=white] {{ fill: #ffffff !important; fill-opacity: 1 !important; }}
"""
PROBES = ("bare", "black", "white")
# A pixel is text when its black and white pictures differ by at least this share of full coverage: the glyph's
# body and the inner half of its anti-aliased edge.
MIN_COVERAGE = 0.4
_NONZERO = re.compile(rb"[^\x00]+")

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
    clip: {x: left + scrollX, y: top + scrollY, width: right - left, height: bottom - top},  // in the document
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


class Camera:
    """Screenshots of a region of the page through the DevTools protocol, with Chromium's PNG encoder set for
    speed (optimizeForSpeed): half the time of Playwright's page.screenshot, and a picture whose rows are all
    "Up"-filtered, which png_pixels decodes a whole row at a time instead of byte by byte (20 times faster
    for a chart's area). The pixels are the same."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.session = page.context.new_cdp_session(page)

    def shot(self, clip: dict[str, float]) -> bytes:
        """A PNG of clip (CSS pixels of the document: x, y, width, height); it must be inside the viewport."""
        params = {"format": "png", "clip": {**clip, "scale": 1}, "optimizeForSpeed": True}
        return base64.b64decode(self.session.send("Page.captureScreenshot", params)["data"])

    def close(self) -> None:
        self.session.detach()


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


def measure(
    black: bytes, white: bytes, bare: bytes, colour: tuple[float, float, float, float], large: bool
) -> PixelVerdict:
    """The verdict from three screenshots of one element: its glyphs painted black, painted white, and transparent."""
    pictures = [png_pixels(picture) for picture in (black, white, bare)]
    if len({(width, height) for width, height, _ in pictures}) != 1:
        required = LARGE_TEXT if large else NORMAL_TEXT
        return PixelVerdict("undecided", required=required, large_text=large, reason="the element moved")
    return measure_rows(pictures[0][2], pictures[1][2], pictures[2][2], colour, large)


def measure_rows(
    rows_black: list[bytes],
    rows_white: list[bytes],
    rows_bare: list[bytes],
    colour: tuple[float, float, float, float],
    large: bool,
) -> PixelVerdict:
    """measure() on decoded pictures of the same size (rows of RGB triples)."""
    required = LARGE_TEXT if large else NORMAL_TEXT
    r, g, b, alpha = colour
    ratios: list[tuple[float, bytes]] = []
    # A text pixel's ratio depends only on the background under it, which repeats a lot: cached.
    by_background: dict[bytes, float] = {}
    least = MIN_COVERAGE * 255
    for row_black, row_white, row_bare in zip(rows_black, rows_white, rows_bare, strict=True):
        if row_black == row_white:
            continue
        # Only the runs of bytes where the two pictures differ (an exclusive or of the rows as integers).
        n = len(row_black)
        differ = (int.from_bytes(row_black, "big") ^ int.from_bytes(row_white, "big")).to_bytes(n, "big")
        columns = sorted(
            {x for run in _NONZERO.finditer(differ) for x in range(run.start() - run.start() % 3, run.end(), 3)}
        )
        for x in columns:
            k, w = row_black[x : x + 3], row_white[x : x + 3]
            if max(w[0] - k[0], w[1] - k[1], w[2] - k[2]) < least:
                continue
            t = row_bare[x : x + 3]
            ratio = by_background.get(t)
            if ratio is None:
                text = (r * alpha + t[0] * (1 - alpha), g * alpha + t[1] * (1 - alpha), b * alpha + t[2] * (1 - alpha))
                ratio = by_background[t] = contrast_ratio(text, (t[0], t[1], t[2]))
            ratios.append((ratio, t))
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
        worst_background=hex_colour((worst_background[0], worst_background[1], worst_background[2])),
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
    camera: Camera, handle: Any, shot_path: Path | None = None, shot_root: Path = SHOTS_DIR.parent
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
    # A clip of the page, not Playwright's element screenshot: a fraction of the time (no waiting for the
    # element to be "stable" and no scrolling, which DESCRIBE_JS did), and the same clip for both pictures.
    try:
        shown = camera.shot(clip)
        pictures = []
        try:
            for probe in PROBES:
                handle.evaluate(f"(node, probe) => node.setAttribute('{PROBE}', probe)", probe)
                pictures.append(camera.shot(clip))
        finally:
            handle.evaluate(f"node => node.removeAttribute('{PROBE}')")
    except Exception as error:  # Playwright's Error from the protocol: the element cannot be photographed
        return PixelVerdict(
            "undecided", required=required, large_text=large, reason=f"no screenshot: {str(error).splitlines()[0]}"
        )
    bare, black, white = pictures
    verdict = measure(black, white, bare, (colour[0], colour[1], colour[2], alpha), large)
    if shot_path is not None:
        shot_path.parent.mkdir(parents=True, exist_ok=True)
        shot_path.write_bytes(shown)
        verdict.screenshot = shot_path.relative_to(shot_root).as_posix()
    return verdict


# --- several elements per pair of screenshots -------------------------------------------------------

# The elements' boxes in document coordinates (whole pixels, rounded outwards) and what check_element's
# DESCRIBE_JS tells, for all of them at once and without scrolling.
DESCRIBE_ALL_JS = """
(elements) => elements.map(element => {
  if (!element || !element.isConnected) return null;
  const style = getComputedStyle(element);
  const svg = element instanceof SVGElement;
  let opacity = 1;
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    opacity *= parseFloat(getComputedStyle(node).opacity || '1');
  }
  const box = element.getBoundingClientRect();
  const visible = element.checkVisibility ? element.checkVisibility({visibilityProperty: true, opacityProperty: true}) : true;
  return {
    box: {left: Math.floor(box.left + scrollX), top: Math.floor(box.top + scrollY),
          right: Math.ceil(box.right + scrollX), bottom: Math.ceil(box.bottom + scrollY)},
    colour: svg ? style.fill : style.webkitTextFillColor || style.color,
    colour_opacity: svg ? parseFloat(style.fillOpacity || '1') : 1,
    opacity,
    font_size: parseFloat(style.fontSize),
    font_weight: parseInt(style.fontWeight, 10) || 400,
    visible,
  };
})
"""
# Whole pictures are decoded in Python, so a batch's picture is kept small: a chart's labels fit in one.
MAX_BATCH_AREA = 360_000  # CSS pixels


def _overlaps(a: dict[str, int], b: dict[str, int]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def png_bytes(rows: list[bytes]) -> bytes:
    """An RGB PNG of the rows (each row width RGB triples): the element's part of a batch's screenshot."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", len(rows[0]) // 3, len(rows), 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@dataclass
class _Pending:
    node: dict[str, Any]
    handle: Any
    info: dict[str, Any]
    index: int


def _measure_batches(camera: Camera, pending: list[_Pending], folder: Path, root: Path) -> list[_Pending]:
    """Measure the elements a batch at a time: the page scrolled so that the first of them is at the top, every
    element whose box is then inside the viewport and overlaps no other of the batch, one screenshot of the
    batch's area each with all their glyphs transparent, black and white (and one as shown, when a picture is
    kept), each element's own part cut out of them.
    Returns the elements left for one by one (taller than the viewport, no text pixels in their box, or failed)."""
    page = camera.page
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    left_over: list[_Pending] = []
    pictured: set[str] = set()  # the selector patterns with a picture already
    pending = sorted(pending, key=lambda p: (p.info["box"]["top"], p.info["box"]["left"]))
    while pending:
        scroll = page.evaluate(
            "y => { window.scrollTo(0, y); return [scrollX, scrollY]; }", max(0, pending[0].info["box"]["top"] - 8)
        )
        batch: list[_Pending] = []
        rest: list[_Pending] = []
        union: dict[str, int] | None = None
        for item in pending:
            box = item.info["box"]
            here = {
                "left": box["left"] - scroll[0],
                "right": box["right"] - scroll[0],
                "top": box["top"] - scroll[1],
                "bottom": box["bottom"] - scroll[1],
            }
            grown = (
                here
                if union is None
                else {
                    "left": min(union["left"], here["left"]),
                    "top": min(union["top"], here["top"]),
                    "right": max(union["right"], here["right"]),
                    "bottom": max(union["bottom"], here["bottom"]),
                }
            )
            fits = here["left"] >= 0 and here["top"] >= 0 and here["right"] <= viewport["width"]
            fits = fits and here["bottom"] <= viewport["height"]
            small = (grown["right"] - grown["left"]) * (grown["bottom"] - grown["top"]) <= MAX_BATCH_AREA
            if fits and (not batch or small) and not any(_overlaps(here, other.info["here"]) for other in batch):
                item.info["here"] = here
                batch.append(item)
                union = grown
            else:
                rest.append(item)
        if not batch or union is None:  # the first element does not fit in the viewport: one by one
            left_over.append(pending[0])
            pending = pending[1:]
            continue
        clip = {
            "x": union["left"] + scroll[0],
            "y": union["top"] + scroll[1],
            "width": union["right"] - union["left"],
            "height": union["bottom"] - union["top"],
        }
        handles = [item.handle for item in batch]
        pictures = {}
        try:
            for probe in PROBES:
                page.evaluate(f"([els, probe]) => els.forEach(e => e.setAttribute('{PROBE}', probe))", [handles, probe])
                pictures[probe] = png_pixels(camera.shot(clip))[2]
        finally:
            page.evaluate(f"els => els.forEach(e => e.removeAttribute('{PROBE}'))", handles)
        height, width = len(pictures["bare"]), len(pictures["bare"][0]) // 3 if pictures["bare"] else 0
        measured = []
        for item in batch:
            here, info = item.info["here"], item.info
            x0, y0 = here["left"] - union["left"], here["top"] - union["top"]
            x1, y1 = min(width, here["right"] - union["left"]), min(height, here["bottom"] - union["top"])
            black, white, bare = (
                [row[x0 * 3 : x1 * 3] for row in pictures[p][y0:y1]] for p in ("black", "white", "bare")
            )
            verdict = measure_rows(black, white, bare, info["rgba"], info["large"]) if x1 > x0 and y1 > y0 else None
            # An element that is undecided here, or fails, is measured again on its own (check_element): a
            # failure is then confirmed by a second, separate set of pictures, not by one of a batch.
            if verdict is None or verdict.verdict != "pass":
                left_over.append(item)
            else:
                measured.append((item, verdict, (x0, y0, x1, y1)))
        # The picture as shown, for the review list: of every element that failed and of the first element of
        # each selector pattern (the pixel check's evidence for a decided group), not of every chart label.
        wanted = [
            m
            for m in measured
            if m[1].verdict == "fail" or contrast_review.pattern_of(m[0].node["target"]) not in pictured
        ]
        rows_shown = png_pixels(camera.shot(clip))[2] if wanted else []
        for item, verdict, (x0, y0, x1, y1) in measured:
            if (item, verdict, (x0, y0, x1, y1)) in wanted:
                pictured.add(contrast_review.pattern_of(item.node["target"]))
                path = folder / f"{item.index}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(png_bytes([row[x0 * 3 : x1 * 3] for row in rows_shown[y0:y1]]))
                verdict.screenshot = path.relative_to(root).as_posix()
            item.node["pixel_check"] = verdict.as_dict()
        pending = rest
    return left_over


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
    failed: list[dict[str, Any]] = []
    if not any(rule.get("nodes") for rule in results.get("incomplete") or []):  # most pages: nothing to do
        results["pixel_check"] = {"elements": 0, "seconds": round(time.perf_counter() - started, 3)}
        return failed
    camera = Camera(page)
    if nodes:
        page.evaluate(INSTALL_JS, PROBE_CSS)
        handles = [_element(page, node.get("target") or []) for node in nodes]
        try:
            found = [(i, h) for i, h in enumerate(handles) if h is not None]
            infos = page.evaluate(DESCRIBE_ALL_JS, [h for _, h in found]) if found else []
            batchable = []
            for (i, handle), info in zip(found, infos, strict=True):
                colour = parse_css_colour(info["colour"]) if info else None
                box = info["box"] if info else None
                if not info or not info["visible"] or colour is None or box["right"] <= box["left"]:
                    continue  # check_element says why, below
                if box["bottom"] <= box["top"]:
                    continue
                info["rgba"] = (colour[0], colour[1], colour[2], colour[3] * info["colour_opacity"] * info["opacity"])
                info["large"] = is_large_text(info["font_size"], info["font_weight"])
                batchable.append(_Pending(nodes[i], handle, info, i + 1))
            one_by_one = {p.index for p in _measure_batches(camera, batchable, folder, shots_dir.parent)}
            one_by_one |= {i + 1 for i, h in enumerate(handles) if h is not None} - {p.index for p in batchable}
            for index, (node, handle) in enumerate(zip(nodes, handles, strict=True), start=1):
                if handle is None:
                    node["pixel_check"] = PixelVerdict(
                        "undecided", reason="the element could not be found again"
                    ).as_dict()
                elif index in one_by_one:
                    verdict = check_element(camera, handle, folder / f"{index}.png", shots_dir.parent)
                    node["pixel_check"] = verdict.as_dict()
                if node["pixel_check"]["verdict"] == "fail":
                    failed.append(node)
        finally:
            for handle in handles:
                if handle is not None:
                    handle.dispose()
            page.evaluate(REMOVE_JS)
    _picture_other_items(camera, results, folder, shots_dir.parent)
    camera.close()
    # The check's own cost, saved with the raw results (the suite's time budget).
    results["pixel_check"] = {"elements": len(nodes), "seconds": round(time.perf_counter() - started, 3)}
    return failed


def _picture_other_items(camera: Camera, results: dict[str, Any], folder: Path, root: Path) -> None:
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
            handle = _element(camera.page, node.get("target") or [])
            if handle is None:
                continue
            try:
                clip = handle.evaluate(DESCRIBE_JS)["clip"]
                if clip["width"] >= 1 and clip["height"] >= 1:
                    path = folder / f"{rule.get('id')}-{index}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(camera.shot(clip))
                    node["review_screenshot"] = path.relative_to(root).as_posix()
            except Exception:  # noqa: BLE001 - a picture is a help for the reviewer, never a failure
                pass
            finally:
                handle.dispose()
    camera.page.evaluate("() => window.scrollTo(0, 0)")


def failure_message(failed: list[dict[str, Any]]) -> str:
    lines = [f"{len(failed)} element(s) below the contrast minimum, measured in the rendered pixels:"]
    for node in failed:
        check = node["pixel_check"]
        lines.append(
            f"  {' '.join(map(str, node.get('target') or []))}: {check.get('ratio')}:1 < {check.get('required')}:1 "
            f"(text {check.get('text_colour')} on {check.get('worst_background')}; {node.get('html', '')[:120]})"
        )
    return "\n".join(lines)
