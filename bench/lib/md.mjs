// Markdown helpers of the floors and start-up reports: numbers as the tables show them, and tables.
export const int = (v) => (v == null ? "–" : Math.round(v).toLocaleString("en-US"));
export const f1 = (v) => (v == null ? "–" : v.toFixed(1));
export const x2 = (v) => (v == null ? "–" : `${v.toFixed(2)}×`);
export const cell = (s) =>
  String(s ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ");
export const table = (head, rows) => [
  `| ${head.join(" | ")} |`,
  `| ${head.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  "",
];
/** `0.48× (0.45–0.51×)`: a median ratio and the range of the rounds it is the median of. */
export const ratioCell = (median, range) =>
  median == null
    ? "–"
    : `${x2(median)}${range && range[0] !== range[1] ? ` (${range[0].toFixed(2)}–${x2(range[1])})` : ""}`;
/** The machine table every report opens with. */
export const machineTable = (machine) => table(["machine", ""], Object.entries(machine));
