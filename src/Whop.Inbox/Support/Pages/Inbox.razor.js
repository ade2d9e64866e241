// Inbox keyboard shortcuts and endless scrolling. Shortcuts never fire while someone is typing.

// A checkbox (a row's, "select all") takes no text: the shortcuts stay live while it has the focus.
const typing = (el) => el && (el.isContentEditable || ["TEXTAREA", "SELECT"].includes(el.tagName)
  || (el.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(el.type)));

// The row a key acts on: the one with the focus (its link or its checkbox), else the open chat's.
const focusedRow = () =>
  document.activeElement?.closest?.("[data-inbox-item]")?.querySelector("[data-inbox-row]")
  ?? document.querySelector("[data-inbox-list] [data-inbox-row][aria-current='true']");

export function init(listPane, dotnet) {
  const onKeyDown = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // Escape closes the shortcuts dialog wherever the focus is; a dialog with the focus keeps the other keys.
    const close = document.querySelector("[role='dialog'] [data-dialog-close]");
    if (e.key === "Escape" && close) {
      e.preventDefault();
      close.click();
      return;
    }
    if (document.activeElement?.closest?.("[role='dialog']")) return;
    if (typing(document.activeElement)) {
      // Escape in the composer with its saved replies open closes that list and keeps the focus.
      if (e.key === "Escape" && document.activeElement.dataset.replyPicker !== "open") document.activeElement.blur();
      return;
    }
    // Arrow keys move between chats except where they scroll something the reader is in: the
    // message history, a dialog, a menu.
    const scrolling = document.activeElement?.closest?.("[data-history], [role='dialog'], [role='listbox'], [role='menu']");
    const key = e.key;
    if (key === "j" || key === "k" || (!scrolling && (key === "ArrowDown" || key === "ArrowUp"))) {
      e.preventDefault();
      move(key === "j" || key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (key === "x") {
      const row = focusedRow();
      if (!row) return;
      e.preventDefault();
      dotnet.invokeMethodAsync("ToggleRowFromKey", row.getAttribute("data-channel-id"));
      return;
    }
    // Escape with nothing to leave or close clears the selection (the server knows whether there is one).
    if (key === "Escape") {
      dotnet.invokeMethodAsync("OnShortcutAsync", key);
      return;
    }
    if (!["e", "a", "z", "/", "?", "0", "1", "2", "3", "4"].includes(key)) return;
    e.preventDefault();
    dotnet.invokeMethodAsync("OnShortcutAsync", key);
  };

  // Moving is done here, on the rows as they are on screen: the next key moves on from the row that has
  // the focus at once, without waiting for the server to open the chat the last key picked.
  const move = (step) => {
    // Read from the document each time: the rows (and even the pane) may have been drawn anew since.
    const rows = [...document.querySelectorAll("[data-inbox-list] [data-inbox-row]")];
    if (rows.length === 0) return;
    let index = rows.indexOf(document.activeElement?.closest?.("[data-inbox-item]")?.querySelector("[data-inbox-row]"));
    if (index < 0) index = rows.findIndex((row) => row.getAttribute("aria-current") === "true");
    if (index < 0 && new URLSearchParams(location.search).has("chat")) {
      // The open chat's row is out of the drawn window (the list draws only what is near the view):
      // the server knows the whole order.
      dotnet.invokeMethodAsync("MoveAsync", step);
      return;
    }
    const next = index < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(Math.max(index + step, 0), rows.length - 1);
    if (next === index) return;
    rows[next].focus();
    rows[next].scrollIntoView?.({ block: "nearest" });
    rows[next].click(); // a link: Blazor opens the chat without reloading the page
  };
  // Capture: the type-aheads keep Escape to themselves, and Escape must still leave a field.
  document.addEventListener("keydown", onKeyDown, true);
  // Says the shortcuts are live: keys pressed before this point (the first instants after the page
  // loads) have no handler yet.
  const inbox = listPane.closest("[data-inbox]");
  inbox?.setAttribute("data-keyboard", "ready");

  const sentinel = listPane.querySelector("[data-more-sentinel]");
  let observer = null;
  if (sentinel && "IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) dotnet.invokeMethodAsync("LoadMoreAsync");
    }, { root: listPane.querySelector("[data-list-scroller]"), rootMargin: "0px 0px 300px 0px" });
    observer.observe(sentinel);
  }

  return {
    dispose() {
      document.removeEventListener("keydown", onKeyDown, true);
      inbox?.removeAttribute("data-keyboard");
      observer?.disconnect();
    },
  };
}

// Scrolls the list so the row at this index (rows of one height) is in view, where it will be drawn.
export function revealRow(index, rowHeight) {
  const scroller = document.querySelector("[data-list-scroller]");
  const list = scroller?.querySelector("[data-inbox-rows]");
  if (!scroller || !list) return;
  const top = list.offsetTop + index * rowHeight;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + rowHeight - scroller.clientHeight;
}

export function focusSelector(selector) {
  const el = document.querySelector(selector);
  el?.focus();
  el?.scrollIntoView?.({ block: "nearest" });
}

/** The viewer's time zone (IANA), for the snooze presets ("tomorrow 9:00" is theirs, not the server's). */
export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
  } catch {
    return null;
  }
}
