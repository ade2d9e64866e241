// The composer's saved-reply keys (below) and its files: picked with the attach button, dropped on the composer, or pasted (a
// screenshot from the clipboard). Each is uploaded to /api/v1/files from here, with the page's own
// credential (the sign-in cookie; in the embedded chat, the frame's access token), so the bytes never
// pass through the live connection; the component is told of progress, the stored file, or the error.

const uploads = new Map();

export function init(form, dotnet, url) {
  const input = form.querySelector("[data-composer-file]");
  // While the saved replies' list is open, the keys that move in it are its own, not the text box's
  // (the component hears them too, and acts): no caret moving, no new line, no send.
  const text = form.querySelector("[data-composer-input]");
  const onKeyDown = (e) => {
    if (text.dataset.replyPicker !== "open" || e.shiftKey || e.isComposing) return;
    if (["ArrowDown", "ArrowUp", "Enter", "Escape"].includes(e.key)) e.preventDefault();
  };
  text?.addEventListener("keydown", onKeyDown);
  const send = (files) => {
    for (const file of files) upload(file, dotnet, url);
  };
  const onChange = () => {
    send(input.files);
    input.value = "";
  };
  const onPaste = (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    send(files);
  };
  const onDragOver = (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    e.preventDefault();
    form.setAttribute("data-dragging", "");
  };
  const onDragLeave = () => form.removeAttribute("data-dragging");
  const onDrop = (e) => {
    form.removeAttribute("data-dragging");
    if (!e.dataTransfer?.files?.length) return;
    e.preventDefault();
    send(e.dataTransfer.files);
  };
  input?.addEventListener("change", onChange);
  form.addEventListener("paste", onPaste);
  form.addEventListener("dragover", onDragOver);
  form.addEventListener("dragleave", onDragLeave);
  form.addEventListener("drop", onDrop);
  return {
    dispose() {
      text?.removeEventListener("keydown", onKeyDown);
      input?.removeEventListener("change", onChange);
      form.removeEventListener("paste", onPaste);
      form.removeEventListener("dragover", onDragOver);
      form.removeEventListener("dragleave", onDragLeave);
      form.removeEventListener("drop", onDrop);
    },
  };
}

function upload(file, dotnet, url) {
  const id = crypto.randomUUID();
  // A pasted screenshot is "image.png" in every browser: give it a name worth keeping.
  const name = file.name && file.name !== "image.png" ? file.name : `screenshot-${new Date().toISOString().replace(/[:.]/g, "-")}.png`;
  dotnet.invokeMethodAsync("UploadStarted", id, name, file.size, file.type || "application/octet-stream");
  const xhr = new XMLHttpRequest();
  uploads.set(id, xhr);
  let last = 0;
  xhr.upload.onprogress = (e) => {
    const now = Date.now();
    if (now - last < 150) return;
    last = now;
    dotnet.invokeMethodAsync("UploadProgressed", id, e.loaded);
  };
  xhr.onload = () => {
    uploads.delete(id);
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
    if (xhr.status === 200 && body?.id) dotnet.invokeMethodAsync("UploadFinished", id, body.id);
    else dotnet.invokeMethodAsync("UploadFailed", id, body?.error?.message ?? body?.detail ?? `The upload failed (${xhr.status}).`);
  };
  xhr.onerror = () => {
    uploads.delete(id);
    dotnet.invokeMethodAsync("UploadFailed", id, "The upload failed: the connection dropped. Try again.");
  };
  xhr.open("POST", url);
  // In the embedded chat there is no cookie: the frame keeps the host's access token for these requests.
  const token = globalThis.whopInboxFileToken;
  if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
  const form = new FormData();
  form.append("file", file, name);
  xhr.send(form);
}

export function cancel(id) {
  uploads.get(id)?.abort();
  uploads.delete(id);
}

export function pick(form) {
  form.querySelector("[data-composer-file]")?.click();
}
