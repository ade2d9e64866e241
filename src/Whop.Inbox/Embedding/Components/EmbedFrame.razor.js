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
        const reply = await dotnet.invokeMethodAsync("ConnectAsync", message.token ?? null, message.options ?? {});
        if (reply.ok) emit("ready", {});
        else emit("error", { message: reply.error });
        break;
      }
      case "token": {
        const reply = await dotnet.invokeMethodAsync("RenewAsync", message.token ?? null);
        if (!reply.ok) emit("error", { message: reply.error });
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

  window.addEventListener("message", onMessage);
  document.addEventListener("click", onClick, true);
  post({ type: "hello" });

  return {
    emit,
    requestToken() {
      post({ type: "tokenRequest" });
    },
    dispose() {
      window.removeEventListener("message", onMessage);
      document.removeEventListener("click", onClick, true);
    },
  };
}
