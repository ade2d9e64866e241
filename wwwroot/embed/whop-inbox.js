/*
 * Whop Inbox elements for other web apps: the chat and the DMs list, each in a frame served by the
 * inbox. Include this script from the inbox server, then:
 *
 *   const list = WhopInbox.dmsList.mount(element, { companyId, token: () => fetchToken() });
 *   const chat = WhopInbox.chat.mount(element, { channelId, token: () => fetchToken() });
 *   list.on("channelSelected", ({ id }) => chat.updateOptions({ channelId: id }));
 *
 * Plain JavaScript, no build step. The token goes to the frame by postMessage, never in an address.
 */
(function () {
  "use strict";

  const PROTOCOL = "whop-inbox";
  const EVENTS = ["ready", "error", "channelSelected", "messageSent", "messageDeleted", "profileClick", "linkClick", "attachmentClick"];
  const STYLES = ["default", "imessage", "discord"];
  // The inbox server is where this script came from, unless the host says otherwise (serverUrl).
  const scriptOrigin = document.currentScript ? new URL(document.currentScript.src, location.href).origin : null;

  function element(kind, path, title) {
    return Object.freeze({
      /** Shows the element inside `container` (its content is replaced) and returns its handle. */
      mount(container, options) {
        return mount(kind, path, title, container, options || {});
      },
    });
  }

  function mount(kind, path, title, container, initialOptions) {
    if (!(container instanceof HTMLElement)) throw new TypeError("WhopInbox: mount(element, options) needs a DOM element.");
    let options = { ...initialOptions };
    const serverUrl = options.serverUrl || scriptOrigin;
    if (!serverUrl) throw new Error("WhopInbox: give serverUrl, the inbox's address (e.g. https://inbox.example.com).");
    const server = new URL(serverUrl, location.href).origin;

    const listeners = new Map();
    let connected = false;
    let answered = false;
    let pendingToken = null;
    let sentOptions = null; // the options the frame connected with, as sent

    // Only the host's origin and what the frame-ancestors header needs go in the address.
    const query = new URLSearchParams({ host: location.origin });
    if (options.companyId) query.set("company", options.companyId);
    if (options.channelId) query.set("channel", options.channelId);
    const frame = document.createElement("iframe");
    frame.src = `${server}${path}?${query}`;
    frame.title = options.title || title;
    frame.style.cssText = "border:0;width:100%;height:100%;display:block;";
    frame.setAttribute("data-whop-inbox", kind);

    const post = (message) => frame.contentWindow && frame.contentWindow.postMessage({ protocol: PROTOCOL, ...message }, server);

    const wireOptions = () => ({
      channelId: options.channelId ?? null,
      companyId: options.companyId ?? null,
      selectedChannel: options.selectedChannel ?? null,
      style: STYLES.includes(options.style) ? options.style : "default",
      emptyState: typeof options.emptyState === "string" ? { title: options.emptyState, description: null } : (options.emptyState ?? null),
      handleLinks: !!options.handleLinks,
      previewAttachments: options.previewAttachments !== false,
    });

    // A token, or a function returning one (or a promise of one). Calls made while one is under
    // way share it, so a frame asking twice does not cost the host two tokens.
    function token() {
      const given = options.token;
      if (typeof given !== "function") return Promise.resolve(given);
      if (!pendingToken) {
        pendingToken = Promise.resolve().then(() => given()).finally(() => { pendingToken = null; });
      }
      return pendingToken;
    }

    async function sendToken(type) {
      let value;
      try {
        value = await token();
        if (typeof value !== "string" || value.length === 0) throw new Error("the token function gave no token");
      } catch (e) {
        const message = `Could not get an access token: ${e && e.message ? e.message : e}`;
        dispatch("error", { message }); // the frame asks again by itself before its token runs out
        return;
      }
      if (type === "init") {
        sentOptions = JSON.stringify(wireOptions());
        post({ type, token: value, options: wireOptions() });
      } else {
        post({ type, token: value });
      }
    }

    function dispatch(name, data) {
      const handler = options["on" + name.charAt(0).toUpperCase() + name.slice(1)];
      for (const fn of [handler, options.onEvent && ((d) => options.onEvent(name, d)), ...(listeners.get(name) || [])]) {
        if (typeof fn !== "function") continue;
        try {
          fn(data);
        } catch (e) {
          setTimeout(() => { throw e; }); // a host's handler failing must not stop the others
        }
      }
    }

    function onMessage(event) {
      // Only this element's own frame, at the inbox's origin.
      if (event.origin !== server || event.source !== frame.contentWindow) return;
      const message = event.data;
      if (!message || message.protocol !== PROTOCOL) return;
      if (!answered) {
        // The frame is there and talking: whatever happens next, it did answer.
        answered = true;
        clearTimeout(loadTimer);
      }
      if (message.type === "hello") sendToken("init");
      else if (message.type === "tokenRequest") sendToken("token");
      else if (message.type === "event" && EVENTS.includes(message.name)) {
        if (message.name === "ready") {
          connected = true;
          // Options changed while the frame was connecting went with no connection to apply them to.
          if (JSON.stringify(wireOptions()) !== sentOptions) post({ type: "options", options: wireOptions() });
        }
        dispatch(message.name, message.data || {});
      }
    }

    window.addEventListener("message", onMessage);
    container.replaceChildren(frame);
    const loadTimer = setTimeout(() => {
      if (!connected) dispatch("error", { message: `The inbox at ${server} did not answer. Is ${location.origin} allowed to embed it?` });
    }, options.loadTimeoutMs ?? 20000);

    return Object.freeze({
      /** Changes options in place: another conversation, style, empty state or token. Nothing reloads. */
      updateOptions(changes) {
        const tokenChanged = changes && "token" in changes && changes.token !== options.token;
        options = { ...options, ...(changes || {}) };
        // Until the frame is ready, its first options go with its token (and any change since, on ready).
        if (connected) post({ type: "options", options: wireOptions() });
        if (tokenChanged && connected) sendToken("token");
      },
      /** Hands the frame a fresh token now (it also asks by itself before the current one expires). */
      refreshToken() {
        return sendToken("token");
      },
      /** Listens to an event; returns a function that stops listening. */
      on(name, handler) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name).add(handler);
        return () => listeners.get(name)?.delete(handler);
      },
      off(name, handler) {
        listeners.get(name)?.delete(handler);
      },
      unmount() {
        clearTimeout(loadTimer);
        window.removeEventListener("message", onMessage);
        listeners.clear();
        frame.remove();
      },
      get frame() {
        return frame;
      },
    });
  }

  window.WhopInbox = Object.freeze({
    chat: element("chat", "/embed/chat", "Chat"),
    dmsList: element("dms", "/embed/dms", "Direct messages"),
  });
})();
