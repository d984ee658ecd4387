"""Take a screenshot of one slide of an offline deck, for the README.

Usage (from anywhere; no venv needs to be activated):

    .venv/bin/python tools/screenshot_slide.py NOTEBOOK SLIDE [OUT.png] [--size 1280x720]

SLIDE counts from 1 as the deck's slide number does (horizontal slides). The deck is
(re)built when stale, opened from file:// in headless Chromium with every non-file
request aborted, and the PNG is reduced to 256 colours to stay small (a slide is mostly
flat colour). Default OUT: slides/screenshot.png.
"""
import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402
import check_slides  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("slide", type=int, help="slide number, from 1")
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "slides" / "screenshot.png")
    parser.add_argument("--size", default="1280x720", help="browser window, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    notebook = args.notebook.resolve()
    if check_slides.stale(notebook):
        build_slides.build([notebook])
    from PIL import Image

    off_disk = []
    with check_slides.require_playwright()() as p:
        browser = check_slides.launch(p)
        try:
            page = check_slides.offline_context(browser, width, height, off_disk).new_page()
            check_slides.open_deck(page, build_slides.deck_path(notebook))
            page.evaluate("(h) => Reveal.slide(h, 0)", args.slide - 1)
            page.wait_for_timeout(500)
            png = page.screenshot()
        finally:
            browser.close()
    if off_disk:
        sys.exit(f"the deck tried to reach the network: {off_disk}")
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out, optimize=True)
    print(f"{args.out}: slide {args.slide} of {notebook.name} at {width}x{height}, "
          f"{args.out.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
