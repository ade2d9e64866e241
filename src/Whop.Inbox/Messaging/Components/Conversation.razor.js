// Conversation pane behaviour Blazor cannot express on its own: Enter to send (Shift+Enter for a
// new line), loading older messages when the top comes into view, and keeping the reading
// position steady while older messages are inserted above it.

export function init(history, dotnet) {
  // The composer comes and goes with the right to write, so it is found through its section
  // each time a key is pressed rather than held on to.
  const section = history.closest("[data-conversation]");
  const onKeyDown = (e) => {
    const composer = e.target;
    if (!(composer instanceof HTMLTextAreaElement) || !composer.matches("[data-composer-input]")) return;
    // Enter in an open list of saved replies inserts one (the composer's own), it does not send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && composer.dataset.replyPicker !== "open") {
      e.preventDefault();
      composer.form?.requestSubmit();
    }
  };
  section?.addEventListener("keydown", onKeyDown);
  // Says Enter sends from now on: before this, for the first instants after the pane appears, Enter
  // is still the text box's own (a new line).
  section?.setAttribute("data-composer", "ready");

  const sentinel = history.querySelector("[data-older-sentinel]");
  let observer = null;
  if (sentinel && "IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) dotnet.invokeMethodAsync("LoadOlderAsync");
    }, { root: history, rootMargin: "200px 0px 0px 0px" });
    observer.observe(sentinel);
  }

  return {
    dispose() {
      section?.removeEventListener("keydown", onKeyDown);
      section?.removeAttribute("data-composer");
      observer?.disconnect();
    },
  };
}

export function scrollToBottom(history) {
  history.scrollTop = history.scrollHeight;
}

// A search's match: brought into view and marked (the mark moves with the next match shown).
export function showMessage(history, id) {
  history.querySelectorAll("[data-found]").forEach((el) => el.removeAttribute("data-found"));
  const message = [...history.querySelectorAll("[data-message-id]")].find((el) => el.getAttribute("data-message-id") === id);
  if (!message) return;
  message.setAttribute("data-found", "true");
  message.scrollIntoView({ block: "center" });
}

export function isNearBottom(history) {
  return history.scrollHeight - history.scrollTop - history.clientHeight < 80;
}

// Before older messages are added above: remember how far the reader is from the bottom.
export function distanceFromBottom(history) {
  return history.scrollHeight - history.scrollTop;
}

// After they are added: put the reader back at the same distance, so nothing jumps.
export function restoreDistanceFromBottom(history, distance) {
  history.scrollTop = history.scrollHeight - distance;
}

export function focusComposer(history) {
  history.closest("[data-conversation]")?.querySelector("[data-composer-input]")?.focus();
}
