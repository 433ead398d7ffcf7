export { renderChart, renderChartGrid, PALETTE } from './chart';
export type { ChartPoint, ChartSeries, ChartOptions, ChartPanel, GridOptions, RenderedChart } from './chart';
export { svgToPng } from './png';
export { smoothTensorBoard } from './smoothing';
export { bandLayer, intervalLayer } from './bands';
