"""Charts of one assistant's progress: radar (first vs latest per area) and levels over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLegend,
    QLineSeries,
    QPolarChart,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from apk_desktop.domain.czech_format import format_date

FIRST_COLOR = QColor("#8a8a8a")
LATEST_COLOR = QColor("#1f7a3a")
LINE_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _clear(chart: QChart) -> None:
    """Remove series and axes one by one and delete them once control returns to the event
    loop (``removeAllSeries`` deletes them behind the wrappers' back; merely removed, their
    graphics stayed in the scene and old axis labels showed through the new ones)."""
    for series in chart.series():
        chart.removeSeries(series)
        series.deleteLater()
    for axis in chart.axes():
        chart.removeAxis(axis)
        axis.deleteLater()


class RadarChart(QChartView):
    """First vs latest level per area on a polar chart (closed polygons)."""

    def __init__(self) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 300)
        self.chart_ = QPolarChart()
        self.chart_.setTitle("První a poslední hodnocení")
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.setChart(self.chart_)
        self.series: list[QLineSeries] = []

    def set_data(
        self,
        labels: Sequence[str],
        first: Sequence[float | None],
        latest: Sequence[float | None],
        scale: tuple[int, int],
    ) -> None:
        """Levels per area (None: not assessed); ``scale`` is the (min, max) level shown."""
        chart = self.chart_
        _clear(chart)
        self.series = []
        count = len(labels)
        if count == 0:
            return
        angular = QCategoryAxis()
        angular.setRange(0, 360)
        angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for index, label in enumerate(labels):
            angular.append(label, 360 * index / count)
        radial = QValueAxis()
        radial.setRange(scale[0], scale[1])  # the centre is the scale's lowest level
        radial.setTickCount(scale[1] - scale[0] + 1 if scale[1] - scale[0] < 10 else 6)
        radial.setLabelFormat("%d")
        chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
        chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
        for name, values, color, width in (
            ("První", first, FIRST_COLOR, 2),
            ("Poslední", latest, LATEST_COLOR, 3),
        ):
            series = QLineSeries()
            series.setName(name)
            points = [(360 * i / count, v) for i, v in enumerate(values) if v is not None]
            for angle, value in points:
                series.append(angle, value)
            if points and len(points) == count:
                series.append(360, points[0][1])  # close the polygon
            pen = QPen(color)
            pen.setWidth(width)
            series.setPen(pen)
            chart.addSeries(series)
            series.attachAxis(angular)
            series.attachAxis(radial)
            self.series.append(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


# Lines of areas with the same levels would hide each other: each area is drawn a little above
# or below the true level, with its own dash style and marker shape.
AREA_OFFSET = 0.07
PEN_STYLES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
MARKERS = (
    QScatterSeries.MarkerShape.MarkerShapeCircle,
    QScatterSeries.MarkerShape.MarkerShapeRectangle,
    QScatterSeries.MarkerShape.MarkerShapeTriangle,
    QScatterSeries.MarkerShape.MarkerShapeRotatedRectangle,
    QScatterSeries.MarkerShape.MarkerShapeStar,
    QScatterSeries.MarkerShape.MarkerShapePentagon,
)
MAX_DATE_LABELS = 8


def area_offset(index: int, count: int) -> float:
    """How far above (+) or below (−) its true level line ``index`` of ``count`` is drawn."""
    return (index - (count - 1) / 2) * AREA_OFFSET


def _labelled_days(days: Sequence[date]) -> list[date]:
    """The assessment dates (sorted) the x axis names: all of them unless two would be too close
    to read; then the later one is left out (the last date is always named)."""
    gap = (days[-1] - days[0]).days / MAX_DATE_LABELS
    shown = [days[0]]
    for day in days[1:-1]:
        if (day - shown[-1]).days >= gap:
            shown.append(day)
    if len(days) > 1:
        if len(shown) > 1 and (days[-1] - shown[-1]).days < gap:
            shown.pop()  # the last date wins over one just before it
        shown.append(days[-1])
    return shown


class LevelsOverTimeChart(QChartView):
    """One line per area: the level at each assessment date; the x axis names the real dates."""

    def __init__(self) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(360, 300)
        self.chart_ = QChart()
        self.chart_.setTitle("Úrovně v čase")
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.setChart(self.chart_)
        self.series: list[QLineSeries] = []
        self.x_axis: QCategoryAxis | None = None
        self.y_axis: QValueAxis | None = None

    def set_data(
        self, lines: Sequence[tuple[str, Sequence[tuple[date, float]]]], scale: tuple[int, int]
    ) -> None:
        chart = self.chart_
        _clear(chart)
        self.series = []
        self.x_axis = self.y_axis = None
        days = sorted({d for _, points in lines for d, _ in points})
        if not days:
            return
        x_axis = QCategoryAxis()  # x = days since the first assessment
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for day in _labelled_days(days):
            x_axis.append(format_date(day), (day - days[0]).days)
        span = (days[-1] - days[0]).days
        pad = max(span / 20, 1)
        x_axis.setRange(-pad, span + pad)
        x_axis.setLabelsAngle(-90 if len(x_axis.categoriesLabels()) > 4 else 0)
        x_axis.setTitleText("Datum hodnocení")
        y_axis = QValueAxis()
        y_axis.setRange(scale[0] - 0.25, scale[1] + 0.25)
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(scale[0])
        y_axis.setTickInterval(1 if scale[1] - scale[0] < 10 else (scale[1] - scale[0]) / 5)
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("Úroveň")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        self.x_axis, self.y_axis = x_axis, y_axis
        for index, (name, points) in enumerate(lines):
            color = QColor(LINE_COLORS[index % len(LINE_COLORS)])
            offset = area_offset(index, len(lines))
            series = QLineSeries()
            series.setName(name)
            dots = QScatterSeries()
            dots.setMarkerShape(MARKERS[index % len(MARKERS)])
            dots.setMarkerSize(9)
            dots.setColor(color)
            dots.setBorderColor(color)
            tips: dict[int, str] = {}
            for day, value in points:
                x = (day - days[0]).days
                series.append(x, value + offset)
                dots.append(x, value + offset)
                tips[x] = f"{name}: úroveň {value:g} ({format_date(day)})"  # the true level
            dots.hovered.connect(partial(self._show_tip, tips))
            pen = QPen(color)
            pen.setWidth(2)
            pen.setStyle(PEN_STYLES[index % len(PEN_STYLES)])
            series.setPen(pen)
            for s in (series, dots):
                chart.addSeries(s)
                s.attachAxis(x_axis)
                s.attachAxis(y_axis)
            chart.legend().markers(dots)[0].setVisible(False)
            chart.legend().markers(series)[0].setLabel(_wrapped(name))  # full label, on lines
            self.series.append(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)  # dash style

    def _show_tip(self, tips: dict[int, str], point: QPointF, state: bool) -> None:
        self.setToolTip(tips.get(round(point.x()), "") if state else "")


def _wrapped(text: str, width: int = 24) -> str:
    """A legend label broken into lines (rich text) so a long area label is not cut off."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
