// Live updates on a meeting page: fetch new ones every so often and put them at the top.
// Without JavaScript the page simply lists the updates that existed when it was loaded.

const INTERVAL_MS = 15000;
const MAX_INTERVAL_MS = 120000;

function buildItem(update) {
  const item = document.createElement("li");
  item.className = "parley-live-update parley-live-update--new";
  item.id = update.anchor;
  const time = document.createElement("p");
  time.className = "parley-live-update__time";
  const stamp = document.createElement("time");
  stamp.dateTime = update.posted_at;
  stamp.textContent = update.time;
  time.appendChild(stamp);
  const text = document.createElement("div");
  text.className = "parley-live-update__text";
  // the server sends escaped, nh3-sanitised HTML (paragraphs, line breaks and links only)
  text.innerHTML = update.html;
  item.append(time, text);
  return item;
}

function start(section) {
  const url = section.dataset.updatesUrl;
  const list = section.querySelector("[data-live-list]");
  const status = section.querySelector("[data-live-status]");
  if (!url || !list) return;
  let latest = Number(section.dataset.latestId || 0);
  const interval = Number(section.dataset.pollSeconds || 0) * 1000 || INTERVAL_MS;
  let delay = interval;
  let timer = null;

  async function poll() {
    timer = null;
    if (document.hidden) return;
    try {
      const response = await fetch(`${url}?after=${latest}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      const fresh = data.updates || [];
      if (fresh.length) {
        const empty = section.querySelector("[data-live-empty]");
        if (empty) empty.remove();
        // newest first from the server: insert oldest first so the newest ends on top
        for (const update of fresh.slice().reverse()) {
          if (!document.getElementById(update.anchor)) list.prepend(buildItem(update));
        }
        latest = Math.max(latest, ...fresh.map((u) => u.id));
        if (status) {
          status.textContent = fresh.length === 1 ? "1 new update" : `${fresh.length} new updates`;
        }
      }
      delay = interval;
      if (data.live === false) return; // the meeting is over: stop asking
    } catch (error) {
      delay = Math.min(delay * 2, MAX_INTERVAL_MS);
    }
    timer = window.setTimeout(poll, delay);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && timer === null) poll();
  });
  timer = window.setTimeout(poll, delay);
}

export default function init() {
  document.querySelectorAll('[data-parley-module="live-updates"]').forEach(start);
}
