"""Progress charts: real assessment dates on the x axis, areas with equal levels kept apart,
the radar starting at the scale's lowest level."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import QPolarChart, QScatterSeries, QValueAxis
from pytestqt.qtbot import QtBot

from apk_desktop.ui.charts import LevelsOverTimeChart, RadarChart

RADIAL = QPolarChart.PolarOrientation.PolarOrientationRadial
AREAS = ["Základní znalosti", "Finanční gramotnost", "Komunikace", "Mediace", "Digitální"]


def test_a_single_date_is_labelled_once_with_the_real_date(qtbot: QtBot) -> None:
    chart = LevelsOverTimeChart()
    qtbot.addWidget(chart)
    chart.set_data([(name, [(date(2026, 4, 14), 3.0)]) for name in AREAS], (1, 5))
    assert chart.x_axis is not None
    assert chart.x_axis.categoriesLabels() == ["14.04.2026"]
    assert chart.x_axis.min() < 0 < chart.x_axis.max()  # the point is inside, not on an edge


def test_every_assessment_date_is_on_the_axis(qtbot: QtBot) -> None:
    chart = LevelsOverTimeChart()
    qtbot.addWidget(chart)
    days = [date(2025, 4, 14), date(2025, 10, 3), date(2026, 4, 14)]
    chart.set_data([(name, [(d, 2.0) for d in days]) for name in AREAS], (1, 5))
    assert chart.x_axis is not None
    assert chart.x_axis.categoriesLabels() == ["14.04.2025", "03.10.2025", "14.04.2026"]
    assert [chart.x_axis.endValue(label) for label in chart.x_axis.categoriesLabels()] == [
        0,
        172,
        365,
    ]


def test_areas_with_the_same_levels_stay_visible(qtbot: QtBot) -> None:
    chart = LevelsOverTimeChart()
    qtbot.addWidget(chart)
    chart.set_data([(name, [(date(2026, 4, 14), 3.0)]) for name in AREAS], (1, 5))
    heights = [series.at(0).y() for series in chart.series]
    assert len(set(heights)) == len(AREAS)
    assert all(abs(h - 3.0) < 0.2 for h in heights)  # near the true level, not on another one
    assert len({series.pen().style() for series in chart.series}) == len(AREAS)
    assert chart.y_axis is not None and chart.y_axis.min() < 1 and chart.y_axis.max() > 5


def test_radar_starts_at_the_scale_minimum(qtbot: QtBot) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.set_data(AREAS, [2, 2, 3, 2, 1], [3, 4, 3, 3, 2], (1, 5))
    polar = chart.chart_
    radial = [a for a in polar.axes() if polar.axisPolarOrientation(a) == RADIAL]
    assert [(a.min(), a.max()) for a in radial if isinstance(a, QValueAxis)] == [(1, 5)]


def test_hovering_a_point_names_the_area_true_level_and_date(qtbot: QtBot) -> None:
    chart = LevelsOverTimeChart()
    qtbot.addWidget(chart)
    chart.set_data([(name, [(date(2026, 4, 14), 3.0)]) for name in AREAS], (1, 5))
    dots = [s for s in chart.chart_.series() if isinstance(s, QScatterSeries)]
    dots[4].hovered.emit(dots[4].at(0), True)
    assert chart.toolTip() == "Digitální: úroveň 3 (14.04.2026)"
    dots[4].hovered.emit(dots[4].at(0), False)
    assert chart.toolTip() == ""


def test_dates_too_close_to_read_are_not_all_labelled(qtbot: QtBot) -> None:
    chart = LevelsOverTimeChart()
    qtbot.addWidget(chart)
    days = [
        date(2024, 1, 1),
        date(2024, 1, 3),
        date(2025, 6, 2),
        date(2025, 11, 28),
        date(2025, 12, 1),
    ]
    chart.set_data([(AREAS[0], [(d, 2.0) for d in days])], (1, 5))
    assert chart.x_axis is not None
    assert chart.x_axis.categoriesLabels() == ["01.01.2024", "02.06.2025", "01.12.2025"]
