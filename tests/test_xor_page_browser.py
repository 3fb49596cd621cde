"""The XOR page in a real browser: the MLP learns XOR, logistic regression cannot."""
import re
import time

import pytest

from browser import status_value as metric
from browser import pause, wait_ready, wait_settled

pytestmark = pytest.mark.browser


def percent(page, label):
    return float(re.sub(r"[^0-9.]", "", metric(page, label)) or 0) / 100


def open_xor(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    page.get_by_role("link", name="XOR and hidden units").first.click()
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 3",
                           timeout=60_000)


def test_mlp_learns_xor_and_logistic_regression_does_not(page, app_url):
    open_xor(page, app_url)
    dataset = page.locator("[data-testid=stSelectbox]").filter(has_text="Dataset")
    dataset.scroll_into_view_if_needed()
    assert dataset.locator("input").first.input_value() == "XOR" or "XOR" in dataset.inner_text()
    page.get_by_role("button", name="▶ Play").click()
    deadline, mlp = time.time() + 300, 0.0  # generous: the machine may be busy
    while time.time() < deadline and mlp <= 0.95:  # one reading judged: it moves every tick
        page.wait_for_timeout(500)
        mlp, logistic = percent(page, "MLP test accuracy"), percent(page, "logistic regression test accuracy")
    page.get_by_role("button", name="⏸ Pause").click()
    assert mlp > 0.95
    assert logistic < 0.7
    wait_ready(page)
    assert percent(page, "logistic regression test accuracy") < 0.7
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0


def test_a_bad_csv_gets_a_message_and_the_data_is_kept(page, app_url, tmp_path):
    open_xor(page, app_url)
    page.get_by_text("Uploaded CSV").click()
    wait_ready(page)
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n" + "\n".join(f"{i % 7},{i % 5},{'ab'[i % 2]}" for i in range(40)))
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(good))
    page.wait_for_function("document.body.innerText.includes('good.csv')", timeout=60_000)
    wait_ready(page)
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,a\n3,oops,b\n5,6,a\n7,8,b\n")
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(bad))
    error = page.locator("[data-testid=stAlertContentError]")
    error.wait_for(timeout=60_000)
    assert "Row 2, column 2 is 'oops', not a number" in error.inner_text()
    assert "current data is kept" in error.inner_text()
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_click_on_the_mlps_plane_adds_a_point_while_training_goes_on(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    page.goto(f"{app_url}/xor?dataset=xor")
    wait_ready(page)
    plot = ".st-key-xor_mlp_surface .np-live-chart__plot"
    page.wait_for_function(f"document.querySelector('{plot}') && "
                           f"document.querySelector('{plot}')._fullLayout", timeout=60_000)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("() => +(([...document.querySelectorAll('p')].map(p => p.innerText)"
                           ".find(t => t.startsWith('step ')) || '').match(/step\\s+([0-9,]+)/) "
                           "|| [0, '0'])[1].replace(/,/g, '') > 20", timeout=90_000)
    page.get_by_text("adds class 1", exact=True).click()
    # the whole run that takes the new mode is over (a wait_ready alone can fall between two
    # ticks of the playing page, before that run: the click then added class 0)
    page.get_by_text("a click adds class 1").first.wait_for(timeout=60_000)
    wait_ready(page)
    box = page.wait_for_function(f"""() => {{ const p = document.querySelector('{plot}');
        if (!p || !p._fullLayout) return null;  // (redrawn meanwhile)
        const xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis, r = p.getBoundingClientRect();
        return {{px: r.left + xa._offset + xa.d2p(0.0), py: r.top + ya._offset + ya.d2p(0.0)}};
        }}""", timeout=60_000).json_value()
    page.mouse.click(box["px"], box["py"])
    page.wait_for_function(f"""() => (document.querySelector('{plot}')?._fullData ?? [])
        .some(d => d.name === 'added, class 1' && d.x.length === 1)""", timeout=60_000)
    page.wait_for_function("document.body.innerText.includes('Points added so far: 1;')", timeout=60_000)
    # still training, from where it was: the step went on past the click
    page.wait_for_function("() => +(([...document.querySelectorAll('p')].map(p => p.innerText)"
                           ".find(t => t.startsWith('step ')) || '').match(/step\\s+([0-9,]+)/) "
                           "|| [0, '0'])[1].replace(/,/g, '') > 60", timeout=90_000)
    assert "restarted" not in page.inner_text("body")
    page.get_by_role("button", name="⏸ Pause").click()
    assert page.locator("[data-testid=stException]").count() == 0


# The MLP's live surface, found by its title.
SURFACE = ("[...document.querySelectorAll('.np-live-chart__plot')]"
           ".find(p => (p.querySelector('.gtitle')?.textContent ?? '').startsWith('MLP'))")

# Patch the paused surface with a new boundary and picture as a tick would, then draw the same
# layout with Plotly from scratch in a plot of the same size, and read both.
PATCH_AND_COMPARE = """async ([path, curve]) => {
  const plot = %s;
  const layout = JSON.parse(JSON.stringify(plot.layout));
  const shape = layout.shapes.findIndex((s) => s.type === 'path');
  const canvas = Object.assign(document.createElement('canvas'), {width: 4, height: 4});
  canvas.getContext('2d').fillRect(0, 0, 2, 2);
  layout.images[0].source = canvas.toDataURL();
  layout.shapes[shape].path = curve;
  const refused = window.__npLiveChart.patchLayout(plot, layout) === false;
  layout.shapes[shape].path = path;
  const patched = window.__npLiveChart.patchLayout(plot, layout);
  const read = (p) => ({
    d: p.querySelector(`.shapelayer path[data-index="${shape}"]`).getAttribute('d'),
    href: [...p.querySelectorAll('.imagelayer image')].map((e) => e.getAttribute('href'))});
  const mine = read(plot);
  const div = document.createElement('div');
  document.body.appendChild(div);
  const fresh = {...JSON.parse(JSON.stringify(plot.layout)), autosize: false,
                 width: plot._fullLayout.width, height: plot._fullLayout.height};
  await Plotly.newPlot(div, JSON.parse(JSON.stringify(plot.data)), fresh);
  const plotly = read(div);
  Plotly.purge(div); div.remove();
  return {refused, patched, mine, plotly, source: layout.images[0].source,
          kept: plot.layout.shapes[shape].path === path};
}""" % SURFACE


def numbers(path):
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", path)]


def test_the_live_surface_is_patched_in_place_and_draws_what_plotly_draws(page, app_url):
    """While training, a tick that changes only the MLP surface's picture and boundary sets
    them on the drawn SVG instead of a Plotly.react; the result is Plotly's own drawing."""
    open_xor(page, app_url)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function(f"+(({SURFACE})?.dataset.patches ?? 0) >= 5", timeout=120_000)
    assert pause(page)
    wait_settled(page)  # the whole run after Pause redraws the surface (hover layers) too
    got = page.evaluate(PATCH_AND_COMPARE, ["M-1,-1.5 L0.25,0.5 L1.5,1.25 Z",
                                            "M-1,-1 C0,0 1,1 1.5,1.5"])
    assert got["refused"], "a curve (C) is left to Plotly.react"
    assert got["patched"] and got["kept"]
    assert got["mine"]["href"] == got["plotly"]["href"] == [got["source"]]
    mine, plotly = numbers(got["mine"]["d"]), numbers(got["plotly"]["d"])
    assert len(mine) == len(plotly) == 6
    assert max(abs(a - b) for a, b in zip(mine, plotly)) < 0.01, (got["mine"], got["plotly"])
    assert got["mine"]["d"].rstrip().endswith("Z")


def test_a_click_beside_a_point_adds_the_new_point_where_the_mouse_was(page, app_url):
    # A browser review: a click within hover distance of a data point added the new point on
    # top of that point (plotly's click names the point), two clicks 13 px apart made one
    # diamond, and "Points added so far: 2".
    page.goto(f"{app_url}/xor?dataset=xor")
    wait_ready(page)
    plot = ".st-key-xor_mlp_surface .np-live-chart__plot"
    page.wait_for_function(f"document.querySelector('{plot}') && "
                           f"document.querySelector('{plot}')._fullLayout", timeout=60_000)
    near = page.evaluate(f"""() => {{ const p = document.querySelector('{plot}');
        const xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis, r = p.getBoundingClientRect();
        const t = p._fullData.find(d => d.name && d.name.includes('(train)'));
        const px = r.left + xa._offset + xa.d2p(t.x[0]) + 7;
        const py = r.top + ya._offset + ya.d2p(t.y[0]) - 4;
        return {{px, py, x: xa.p2c(px - r.left - xa._offset), y: ya.p2c(py - r.top - ya._offset),
                 point: [t.x[0], t.y[0]]}}; }}""")
    page.mouse.click(near["px"], near["py"])
    page.wait_for_function(f"""() => document.querySelector('{plot}')._fullData
        .some(d => d.name === 'added, class 0' && d.x.length === 1)""", timeout=60_000)
    added = page.evaluate(f"""() => {{ const d = document.querySelector('{plot}')._fullData
        .find(d => d.name === 'added, class 0'); return [d.x[0], d.y[0]]; }}""")
    assert added != pytest.approx(near["point"], abs=1e-3)
    assert added == pytest.approx([near["x"], near["y"]], abs=0.02)
    assert page.locator("[data-testid=stException]").count() == 0


def test_each_unit_map_fills_its_frame_under_its_title(page, app_url):
    # A review: the map's axes stretched to fit the cell, so white bands (which read as h = 0)
    # stood inside the frame beside or under the map, and each title was anchored by an end
    # (plotly's "auto"), not over its map.
    page.set_viewport_size({"width": 1024, "height": 768})  # cells taller than wide
    page.goto(f"{app_url}/xor?dataset=xor&hidden=8")
    wait_ready(page)
    plot = ".st-key-xor_maps_0 .np-live-chart__plot"
    page.wait_for_function(f"document.querySelector('{plot}') && "
                           f"document.querySelector('{plot}')._fullLayout", timeout=60_000)
    cells = page.evaluate(f"""() => {{ const p = document.querySelector('{plot}'), L = p._fullLayout;
        const top = p.getBoundingClientRect();
        const images = [...p.querySelectorAll('.heatmaplayer image')].map(e => e.getBoundingClientRect());
        const titles = [...p.querySelectorAll('.annotation')].map(e => e.getBoundingClientRect());
        return images.map((im, k) => {{ const n = k ? String(k + 1) : '';
            const xa = L['xaxis' + n], ya = L['yaxis' + n];
            return {{frame: [xa._offset, ya._offset, xa._length, ya._length],
                     image: [im.left - top.left, im.top - top.top, im.width, im.height],
                     title: (titles[k].left + titles[k].right) / 2 - top.left}}; }}); }}""")
    assert len(cells) == 8
    for cell in cells:
        assert cell["image"] == pytest.approx(cell["frame"], abs=1.5), cell
        x, _, w, _ = cell["frame"]
        assert cell["title"] == pytest.approx(x + w / 2, abs=2), cell
