"""The map in a real browser: the deck is drawn offline (no basemap) with its layers."""

from __future__ import annotations

import io

from tests.e2e.conftest import login, wait_until_rendered


def test_map_page_draws_the_deck_canvas(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        login(page, app_url, "Politie", "analist@politie")
        page.goto(f"{app_url}/map")
        wait_until_rendered(page, timeout=90_000)
        page.get_by_text("Offline kaart").first.wait_for(timeout=90_000)
        deck = page.get_by_test_id("stDeckGlJsonChart").first
        canvas = deck.locator("canvas").first
        canvas.wait_for(state="visible", timeout=90_000)
        page.wait_for_timeout(1500)  # WebGL draws on the next animation frames
        box = canvas.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300
        shot = deck.screenshot(path="/tmp/nsoc-e2e-map.png")
        assert len(set(_pixels(shot))) > 20  # hexagons and ports drawn, not a blank background
        tiles = [u for u in requests if "basemaps.cartocdn" in u or "mapbox" in u]
        assert tiles == []  # offline by default: no basemap requests
    finally:
        context.close()


def _pixels(png: bytes) -> list[tuple[int, ...]]:
    """Sampled RGB pixels of a PNG, without extra dependencies (Pillow ships with Streamlit)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    return [image.getpixel((x, y)) for x in range(0, width, 7) for y in range(0, height, 7)]
