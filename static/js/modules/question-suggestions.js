// Similar questions while the title is typed on the ask form.
// Progressive enhancement: without this module the server shows a "check for similar
// questions" step after the first submit instead. Once suggestions have been shown for the
// current title, the hidden "checked" input lets the form skip that step.

const DELAY_MS = 350;
const MIN_LENGTH = 10;

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function setUp(root) {
  const input = document.getElementById(root.dataset.titleInput);
  const checked = document.getElementById(root.dataset.checkedInput);
  const results = root.querySelector(".parley-suggest__results");
  const list = root.querySelector(".parley-suggest__list");
  const status = root.querySelector("[role='status']");
  const url = root.dataset.suggestUrl;
  if (!input || !results || !list || !status || !url) {
    return;
  }

  let timer = null;
  let controller = null;
  let shownFor = null;

  function render(items) {
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = item.url;
      link.textContent = item.title;
      const meta = document.createElement("span");
      meta.className = "govuk-body-s parley-meta";
      meta.textContent = ` (${item.status}, ${plural(item.answers, "answer")})`;
      li.append(link, meta);
      list.append(li);
    }
    results.hidden = items.length === 0;
    // One short, polite announcement rather than reading the whole list out.
    status.textContent = items.length
      ? `${plural(items.length, "similar question")} found. They are listed after the question field.`
      : "No similar questions found.";
  }

  async function lookUp() {
    const query = input.value.trim();
    if (query.length < MIN_LENGTH) {
      results.hidden = true;
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    if (query === shownFor) {
      if (checked) checked.value = "1";
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) {
        return; // e.g. rate limited: the server-side check step still runs
      }
      const data = await response.json();
      render(Array.isArray(data.results) ? data.results : []);
      shownFor = query;
      if (checked && input.value.trim() === query) checked.value = "1";
    } catch (error) {
      if (error.name !== "AbortError") {
        results.hidden = true;
      }
    }
  }

  input.addEventListener("input", () => {
    // A changed title has not been checked yet.
    if (checked) checked.value = "";
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DELAY_MS);
  });
  if (input.value.trim()) {
    lookUp();
  }
}

export default function init() {
  for (const root of document.querySelectorAll("[data-parley-module='question-suggestions']")) {
    setUp(root);
  }
}
