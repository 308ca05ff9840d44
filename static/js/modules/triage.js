// Keyboard shortcuts for the evidence triage list. Everything also works with the mouse,
// the Tab key and no JavaScript at all: this only saves experienced officers time.
export default function triage() {
  const form = document.querySelector('[data-parley-module="triage"]');
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("[data-evidence-row]"));
  const action = form.querySelector("#bulk_action");
  const theme = form.querySelector("#bulk_theme");
  let current = -1;

  // A "select all on this page" control, added only when JavaScript can drive it.
  const head = form.querySelector("thead th");
  if (head && rows.length) {
    const label = document.createElement("label");
    label.className = "parley-select-all";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "parley-select-all__input";
    box.addEventListener("change", () => {
      rows.forEach((row) => {
        const input = row.querySelector('input[name="ids"]');
        if (input) input.checked = box.checked;
      });
    });
    label.append(box, document.createTextNode(" All"));
    head.replaceChildren(label);
  }

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("parley-row--current", i === current));
    const input = rows[current].querySelector('input[name="ids"]');
    if (input) input.focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function submitWith(value) {
    if (!action) return;
    action.value = value;
    form.requestSubmit();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target.matches("input[type=text], input[type=search], input[type=date], textarea, select")) return;
    switch (event.key) {
      case "j":
        focusRow(current + 1);
        break;
      case "k":
        focusRow(current - 1);
        break;
      case "x": {
        if (current < 0) focusRow(0);
        const input = rows[current] && rows[current].querySelector('input[name="ids"]');
        if (input) input.checked = !input.checked;
        break;
      }
      case "r":
        submitWith("relevant");
        break;
      case "n":
        submitWith("not_relevant");
        break;
      case "t":
        if (action) action.value = "add_theme";
        if (theme) theme.focus();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}
