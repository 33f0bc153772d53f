// Report export page: follows the build without reloading by hand.
//
// Without JavaScript the page shows the progress when it loaded and a "Refresh" link.
// With it, this polls the export's status URL (data-status-url) every few seconds,
// moves the <progress> bar and rewrites the polite live-region text beside it, and
// reloads the page once the export is ready or has failed, so the download link (or
// the reason) appears. It stops on any error and leaves the Refresh link to the person.
// Loaded as a module from export_detail.html: no inline script.

const POLL_MS = 2000;
const container = document.querySelector("[data-status-url]");

if (container && window.fetch) {
  const url = container.dataset.statusUrl;
  const bar = container.querySelector("progress");
  const text = container.querySelector("[data-export-progress-text]");

  const poll = async () => {
    let state;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      state = await response.json();
    } catch {
      return;
    }
    if (state.status !== "pending" && state.status !== "building") {
      window.location.reload();
      return;
    }
    bar.value = state.percent;
    bar.textContent = `${state.percent}%`;
    const rows = state.rows_total ? ` (${state.rows_done} of ${state.rows_total} rows)` : "";
    text.textContent = `${state.percent}% done${rows}.`;
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
