/** What a chart is drawn from, and its options. */

export interface ChartPoint {
  step: number;
  value: number;
}

export interface ChartSeries {
  /** Legend name (a run). The same name gets the same colour in every panel. */
  name: string;
  points: readonly ChartPoint[];
  color?: string;
}

export interface ChartOptions {
  /** Total image width in pixels. */
  width?: number;
  /** Total image height in pixels. */
  height?: number;
  title?: string;
  /** TensorBoard smoothing weight in [0, 1): the raw series is drawn faded, the smoothed one solid. */
  smoothing?: number;
  /** Logarithmic value axis; points with value ≤ 0 are left out. */
  logY?: boolean;
  /** Logarithmic x axis (e.g. a learning rate); every x must be > 0. */
  logX?: boolean;
  xLabel?: string;
  yLabel?: string;
}

export interface ChartPanel {
  title: string;
  series: readonly ChartSeries[];
  /** Drawn under the series (bands, faint runs, marks: see ./bands.ts). */
  layers?: readonly PanelLayer[];
}

/** How a panel maps data to pixels, and which values it can draw. */
export interface PanelScales {
  sx: (v: number) => number;
  sy: (v: number) => number;
  usable: (v: number) => boolean;
  plotWidth: number;
}

/** Extra drawing in a panel, clipped to its plot; its `extent` points widen the panel's domain. */
export interface PanelLayer {
  extent: readonly ChartPoint[];
  draw: (scales: PanelScales) => string[];
}

export interface GridOptions extends ChartOptions {
  /** Panels per row (default: 1 for one panel, 2 for up to 4, else 3). */
  columns?: number;
  /** Legend order (and default colour order) of the series names; others follow by first appearance. */
  names?: readonly string[];
}

export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
}
