export {
  lineChart,
  scatterChart,
  barChart,
  type ChartBase,
  type LegendPlacement,
  type LineSeries,
  type LineChartSpec,
  type ScatterChartSpec,
  type BarChartSpec,
} from './charts.js';
export { rocChart, probeChart, tsneChart, type RocInput, type TsneChartInput } from './presets.js';
export { svgToPng, svgToRgba, writeChart, bundledFontFiles, type PngOptions } from './render.js';
export { niceTicks, niceDomain, formatTick, linearScale, type LinearScale } from './scale.js';
export { MARKER_SHAPES, markerFor, type MarkerShape } from './markers.js';
export { escapeXml, FONT_FAMILY, PALETTE } from './svg.js';
