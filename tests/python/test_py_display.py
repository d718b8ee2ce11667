"""Rich display in Jupyter (HTML, SVG) and the matplotlib plots."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "municipality.json"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def card():
    return spm.score(spm.load(EXAMPLE))


def test_model_html(card):
    html = card.model._repr_html_()
    assert "City of Riverton" in html and "Stewardship" in html and "<table" in html
    assert "Sustainable public finances" in html


def test_scorecard_html_has_status_colours(card):
    html = card._repr_html_()
    assert html.startswith("<table") and "2026-12" in html
    for status in {card.node("goal", g).status for g in card.model.ids("goal")}:
        assert spm.display.STATUS_COLORS[status] in html
    assert "G-S1 Sustainable public finances" in html
    assert "81.6%" in html  # the organization's score, as the CLI shows it


def test_cascade_html(card):
    html = card.cascade._repr_html_()
    assert "Cascade" in html and "G-S1" in html and "<table" in html
    assert "spm.Cascade" in repr(card.cascade) and "spm.Scorecard" in repr(card)


def test_strategy_map_svg(card):
    model = card.model
    svg = spm.strategy_map(model, card)
    text = svg._repr_svg_()
    root = ET.fromstring(text)  # well-formed XML
    assert root.tag == SVG_NS + "svg"
    bands = root.findall(f"{SVG_NS}rect[@class='band']")
    assert [b.get("data-perspective") for b in bands] == model.ids("perspective")
    goals = root.findall(f"{SVG_NS}g[@class='goal']")
    assert sorted(g.get("data-goal") for g in goals) == sorted(model.ids("goal"))
    for g in goals:
        status = card.node("goal", g.get("data-goal")).status
        assert g.get("data-status") == status
        assert g.find(f"{SVG_NS}rect").get("fill") == spm.display.STATUS_COLORS[status]
    links = root.findall(f"{SVG_NS}line[@class='link']")
    drives = sum(len(model.get("goal", g).get("drives", [])) for g in model.ids("goal"))
    assert len(links) == drives > 0
    plain = spm.strategy_map_svg(model)  # without a scorecard: no statuses
    assert "data-status=\"no_data\"" in plain
    assert str(card.strategy_map()) == spm.strategy_map_svg(model, card)


def test_plots():
    plt = pytest.importorskip("matplotlib.pyplot", reason="matplotlib is not installed")
    import matplotlib

    matplotlib.use("Agg")
    card = spm.score(spm.load(EXAMPLE))
    ax = card.plot_trends()
    assert len(ax.get_lines()) == card.model.count("goal")
    ax2 = card.status_heatmap()
    assert ax2.images and ax2.images[0].get_array().shape == (10, len(card.columns))
    ax3 = spm.plot_trends(card, ids=["M01", "M02"], kind="measure")
    assert len(ax3.get_lines()) == 2
    plt.close("all")
