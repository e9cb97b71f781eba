// ipwatch triage: keyboard shortcuts and selection in the queue. No framework, no data as HTML:
// this script never builds markup from page content, it only moves focus and ticks checkboxes.
"use strict";

(function () {
  const table = document.getElementById("queue");
  if (!table) return;
  const bulk = document.getElementById("bulk");
  const action = document.getElementById("bulk-action");
  const counter = document.getElementById("selected-count");
  const help = document.getElementById("help");
  const rows = Array.from(table.querySelectorAll("tbody tr.row"));
  const boxes = () => rows.map((row) => row.querySelector("input[type=checkbox]"));
  const shortcuts = { r: "reviewing", c: "confirmed", f: "false_positive" };
  let cursor = -1;

  function refresh() {
    let n = 0;
    rows.forEach((row, i) => {
      const box = row.querySelector("input[type=checkbox]");
      row.classList.toggle("selected", box.checked);
      row.classList.toggle("cursor", i === cursor);
      if (box.checked) n += 1;
    });
    counter.textContent = n + " selected";
  }

  function moveCursor(step) {
    if (!rows.length) return;
    cursor = Math.max(0, Math.min(rows.length - 1, cursor + step));
    rows[cursor].scrollIntoView({ block: "nearest" });
    refresh();
  }

  function submitMove(state) {
    const selected = boxes().filter((box) => box.checked);
    if (!selected.length && cursor >= 0) {
      rows[cursor].querySelector("input[type=checkbox]").checked = true;
    }
    if (!boxes().some((box) => box.checked)) return;
    action.value = state;
    bulk.requestSubmit();
  }

  document.getElementById("select-all").addEventListener("change", (event) => {
    boxes().forEach((box) => { box.checked = event.target.checked; });
    refresh();
  });
  table.addEventListener("change", refresh);
  rows.forEach((row, i) => row.addEventListener("click", (event) => {
    if (event.target.closest("a, input")) return;
    cursor = i;
    refresh();
  }));

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, select, textarea") && event.target.type !== "checkbox";
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "j") moveCursor(1);
    else if (key === "k") moveCursor(-1);
    else if (key === "x" && cursor >= 0) {
      const box = rows[cursor].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
      refresh();
    } else if (key === "A") {
      boxes().forEach((box) => { box.checked = true; });
      refresh();
    } else if ((key === "o" || key === "Enter") && cursor >= 0) {
      window.location.assign(rows[cursor].dataset.href);
    } else if (key in shortcuts) submitMove(shortcuts[key]);
    else if (key === "/") document.getElementById("seller-filter").focus();
    else if (key === "?") help.showModal();
    else return;
    event.preventDefault();
  });
  refresh();
})();
