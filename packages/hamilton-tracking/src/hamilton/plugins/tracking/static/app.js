// Hamilton tracking UI: progressive enhancement only. Pages are complete without this file;
// it shows times in the browser's time zone, filters the run list, and refreshes running runs.
// It never inserts HTML: text goes through textContent, so recorded strings stay inert.
"use strict";

function localTimes() {
  for (const element of document.querySelectorAll("time[datetime]")) {
    const moment = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(moment.getTime())) continue;
    element.title = element.textContent;
    element.textContent = moment.toLocaleString();
    element.dataset.local = "1";
  }
}

function filterRuns(query) {
  const rows = document.querySelectorAll("tr.run-row");
  const needle = query.trim().toLowerCase();
  let shown = 0;
  for (const row of rows) {
    const match = !needle || row.textContent.toLowerCase().includes(needle) ||
      row.dataset.runId.toLowerCase().startsWith(needle);
    row.hidden = !match;
    if (match) shown += 1;
  }
  const counter = document.getElementById("shown");
  if (counter) counter.textContent = `${shown} of ${rows.length} runs`;
}

function setUpFilter() {
  const input = document.getElementById("filter");
  if (!input) return;
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("q");
  if (fromHash) input.value = fromHash;
  input.addEventListener("input", () => {
    filterRuns(input.value);
    const hash = input.value ? `#${new URLSearchParams({ q: input.value })}` : " ";
    history.replaceState(null, "", hash);
  });
  filterRuns(input.value);
}

function refreshWhileRunning() {
  const running = document.body.dataset.page === "run" &&
    document.querySelector("h1 .status-running") !== null;
  if (running) window.setTimeout(() => window.location.reload(), 3000);
}

document.addEventListener("DOMContentLoaded", () => {
  localTimes();
  setUpFilter();
  refreshWhileRunning();
  document.body.dataset.ready = "1";
});
