// Keeps the evidence pack page up to date while the worker builds the pack. Without
// JavaScript the page has a "Check again" link instead.
export default function exportProgress() {
  const box = document.querySelector('[data-parley-module="export-progress"]');
  if (!box) return;
  const url = box.dataset.statusUrl;
  const message = box.querySelector("[data-export-message]");
  const actions = box.querySelector("[data-export-actions]");
  let bar = box.querySelector("[data-export-progress]");

  async function poll() {
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      data = await response.json();
    } catch (error) {
      window.setTimeout(poll, 5000);
      return;
    }
    if (data.status === "done") {
      message.textContent = `Your pack is ready: ${data.total} items.`;
      if (bar) bar.remove();
      const link = document.createElement("a");
      link.className = "govuk-button";
      link.href = data.download_url;
      link.textContent = "Download the evidence pack";
      actions.replaceChildren(link);
      return;
    }
    if (data.status === "failed") {
      message.textContent = "The pack could not be built. Please try again; if it fails again, tell the digital team.";
      if (bar) bar.remove();
      actions.replaceChildren();
      return;
    }
    message.textContent = `${data.status_label}: ${data.done} of ${data.total} items (${data.percent}%).`;
    if (bar) bar.value = data.percent;
    window.setTimeout(poll, 2000);
  }
  if (!bar && !actions.querySelector("a[download]")) return;
  window.setTimeout(poll, 1000);
}
