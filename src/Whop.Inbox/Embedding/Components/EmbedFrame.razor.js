// The embedded element's side of the conversation with its host page (see /embed/whop-inbox.js).
// Messages are accepted only from the parent window at the host origin the server checked, and
// sent only to that origin. The access token passes straight to the server over the circuit: it
// is never put in an address, in storage or in a log.

const PROTOCOL = "whop-inbox";

export function start(dotnet, hostOrigin) {
  const host = window.parent;
  if (host === window) return null; // not framed: nothing to talk to

  let handleLinks = false;
  const post = (message) => host.postMessage({ protocol: PROTOCOL, ...message }, hostOrigin);
  const emit = (name, data) => post({ type: "event", name, data: data ?? {} });

  // One message at a time, in the order they came: options sent while connecting apply after the
  // connection, and of two tokens in flight the later one is handled last.
  let queue = Promise.resolve();
  const onMessage = (event) => {
    if (event.origin !== hostOrigin || event.source !== host) return;
    const message = event.data;
    if (!message || message.protocol !== PROTOCOL) return;
    queue = queue.then(() => handle(message)).catch(() => {
      // The circuit is gone (the page is closing): nothing left to answer.
    });
  };

  async function handle(message) {
    switch (message.type) {
      case "init": {
        handleLinks = !!message.options?.handleLinks;
        fileToken = message.token ?? null;
        const reply = await dotnet.invokeMethodAsync("ConnectAsync", message.token ?? null, message.options ?? {});
        if (reply.ok) emit("ready", {});
        else emit("error", { message: reply.error });
        break;
      }
      case "token": {
        const reply = await dotnet.invokeMethodAsync("RenewAsync", message.token ?? null);
        if (!reply.ok) emit("error", { message: reply.error });
        else fileToken = message.token;
        break;
      }
      case "options": {
        const reply = await dotnet.invokeMethodAsync("UpdateOptionsAsync", message.options ?? {});
        if (reply.ok) handleLinks = !!message.options?.handleLinks;
        else emit("error", { message: reply.error });
        break;
      }
    }
  }

  // Links in messages: the host hears of each; with handleLinks it opens them itself.
  const onClick = (event) => {
    const link = event.target instanceof Element ? event.target.closest("[data-message-content] a[href]") : null;
    if (!link) return;
    emit("linkClick", { url: link.href });
    if (handleLinks) event.preventDefault();
  };

  // Files: the frame has no sign-in cookie (it is on another site's page), so images and downloads are
  // fetched with the token and shown from memory; the composer's uploads read the same token.
  let fileToken = null;
  Object.defineProperty(globalThis, "whopInboxFileToken", { configurable: true, get: () => fileToken });
  const fetchFile = async (url) => {
    const response = await fetch(url, { headers: fileToken ? { authorization: `Bearer ${fileToken}` } : {} });
    if (!response.ok) throw new Error(`${response.status}`);
    return URL.createObjectURL(await response.blob());
  };
  const loadImages = (root) => {
    for (const img of root.querySelectorAll?.("img[data-file-src]:not([data-file-loaded])") ?? []) {
      img.setAttribute("data-file-loaded", "");
      fetchFile(img.getAttribute("data-file-src")).then((blob) => { img.src = blob; }, () => {});
    }
  };
  const images = new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes) if (node instanceof Element) loadImages(node.parentElement ?? node);
  });
  images.observe(document.body, { childList: true, subtree: true });
  const onFileClick = (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[download][href^='/api/v1/files/']") : null;
    if (!link || event.defaultPrevented) return;
    event.preventDefault();
    fetchFile(link.getAttribute("href")).then((blob) => {
      const save = Object.assign(document.createElement("a"), { href: blob, download: link.getAttribute("download") ?? "" });
      save.click();
      setTimeout(() => URL.revokeObjectURL(blob), 60_000);
    }, () => emit("error", { message: "The file could not be downloaded." }));
  };

  window.addEventListener("message", onMessage);
  document.addEventListener("click", onClick, true);
  document.addEventListener("click", onFileClick);
  post({ type: "hello" });

  return {
    emit,
    requestToken() {
      post({ type: "tokenRequest" });
    },
    dispose() {
      window.removeEventListener("message", onMessage);
      document.removeEventListener("click", onClick, true);
      document.removeEventListener("click", onFileClick);
      images.disconnect();
    },
  };
}
