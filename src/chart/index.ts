export { renderChart, renderChartGrid } from './chart';
export { PALETTE } from './legend';
export type { ChartPoint, ChartSeries, ChartOptions, ChartPanel, RenderedChart, PanelLayer, PanelScales } from './types';
export { svgToPng } from './png';
export { smoothTensorBoard } from './smoothing';
export { bandLayer, intervalLayer } from './bands';
