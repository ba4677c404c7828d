"""Charts of one assistant's progress: radar (first vs latest per area) and levels over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPolarChart,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen

FIRST_COLOR = QColor("#8a8a8a")
LATEST_COLOR = QColor("#1f7a3a")
LINE_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _ms(day: date) -> float:
    """Noon of ``day`` (local time) in milliseconds since the epoch, as QDateTimeAxis wants."""
    return datetime(day.year, day.month, day.day, 12).timestamp() * 1000


def _clear(chart: QChart) -> None:
    """Remove series and axes one by one: ownership returns to Python, which frees them
    (``removeAllSeries`` deletes them behind the wrappers' back)."""
    for series in chart.series():
        chart.removeSeries(series)
    for axis in chart.axes():
        chart.removeAxis(axis)


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
        radial.setRange(scale[0] - 1 if scale[0] > 0 else 0, scale[1])
        radial.setTickCount(scale[1] - scale[0] + 2 if scale[1] - scale[0] < 10 else 6)
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


class LevelsOverTimeChart(QChartView):
    """One line per area: the level at each assessment date."""

    def __init__(self) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(360, 300)
        self.chart_ = QChart()
        self.chart_.setTitle("Úrovně v čase")
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.setChart(self.chart_)
        self.series: list[QLineSeries] = []

    def set_data(
        self, lines: Sequence[tuple[str, Sequence[tuple[date, float]]]], scale: tuple[int, int]
    ) -> None:
        chart = self.chart_
        _clear(chart)
        self.series = []
        days = [d for _, points in lines for d, _ in points]
        if not days:
            return
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM/yyyy")
        x_axis.setTitleText("Datum hodnocení")
        start, end = min(days), max(days)
        pad = max((end - start).days // 20, 15) * 86_400_000
        x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(_ms(start) - pad)),
            QDateTime.fromMSecsSinceEpoch(int(_ms(end) + pad)),
        )
        x_axis.setTickCount(5)
        y_axis = QValueAxis()
        y_axis.setRange(scale[0], scale[1])
        y_axis.setTickCount(scale[1] - scale[0] + 1 if scale[1] - scale[0] < 10 else 6)
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("Úroveň")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for index, (name, points) in enumerate(lines):
            color = QColor(LINE_COLORS[index % len(LINE_COLORS)])
            series = QLineSeries()
            series.setName(name)
            dots = QScatterSeries()
            dots.setMarkerSize(7)
            dots.setColor(color)
            dots.setBorderColor(color)
            for day, value in points:
                series.append(_ms(day), value)
                dots.append(_ms(day), value)
            pen = QPen(color)
            pen.setWidth(2)
            series.setPen(pen)
            for s in (series, dots):
                chart.addSeries(s)
                s.attachAxis(x_axis)
                s.attachAxis(y_axis)
            chart.legend().markers(dots)[0].setVisible(False)
            chart.legend().markers(series)[0].setLabel(_wrapped(name))  # full label, on lines
            self.series.append(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)


def _wrapped(text: str, width: int = 24) -> str:
    """A legend label broken into lines (rich text) so a long area label is not cut off."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
