// Upgrades the pages where JavaScript runs; without it every page still works (links and form posts).
// Chat: answers arrive in place, the address bar follows the conversation (so a reload or a shared
// link shows it again), Enter asks. Everywhere: Copy buttons for quotes with their citations.
// Viewer: the highlighted quote is centred.
(function () {
  "use strict";

  function say(message) {
    const status = document.getElementById("status") || document.getElementById("copy-status");
    if (status) status.textContent = message;
  }

  // -- copy a quote with its citation ------------------------------------------------------------
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");  // older browsers and plain-HTTP hosts
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy refused");
  }

  function showCopyButtons(root) {
    root.querySelectorAll("button.copy").forEach(function (b) { b.hidden = false; });
  }

  if (!document.getElementById("status")) {
    const region = document.createElement("p");
    region.id = "copy-status"; region.className = "visually-hidden";
    region.setAttribute("role", "status"); region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
  }
  showCopyButtons(document);
  document.addEventListener("click", async function (event) {
    const button = event.target.closest("button.copy");
    if (!button) return;
    const figure = button.closest("figure");
    const text = button.dataset.format === "md" ? figure.dataset.copyMd : figure.dataset.copyText;
    // The button's visible word is its first text node ("Copy", or "Markdown" after a hidden "Copy as").
    const label = Array.from(button.childNodes).find(function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    const word = button.dataset.word || (button.dataset.word = label.textContent);
    try {
      await copyText(text);
      label.textContent = "Copied";
      say(button.dataset.format === "md" ? "Quote copied as Markdown." : "Quote copied with its citation.");
    } catch (err) {
      label.textContent = "Copy failed";
      say("The browser did not allow copying.");
    }
    setTimeout(function () { label.textContent = word; }, 2000);
  });

  // -- a link to a folded quote ("Back to the answer", the line of who holds what) unfolds it --------
  function unfold() {
    const target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const folded = target && target.closest("details:not([open])");
    if (folded) {
      folded.open = true;
      target.scrollIntoView();
    }
  }
  unfold();
  window.addEventListener("hashchange", unfold);

  // -- viewer: centre the highlight ----------------------------------------------------------------
  const mark = document.getElementById("quote");
  if (mark && location.hash === "#quote") {
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }

  // -- documents: prefill from the file, drag and drop, progress while it is indexed --------------
  const upload = document.getElementById("upload");
  if (upload && window.fetch) {
    const file = document.getElementById("file");
    const drop = document.getElementById("drop");
    const uploadStatus = document.getElementById("upload-status");
    const bar = document.getElementById("upload-progress");

    const add = upload.querySelector("button[type=submit]");
    async function prefill() {
      if (!file.files.length) return;
      const name = file.files[0].name;
      const body = new FormData();
      body.append("file", file.files[0]);
      add.disabled = false;
      uploadStatus.textContent = "Reading " + name + "…";
      const response = await fetch("/api/sources/inspect", { method: "POST", body: body });
      const found = await response.json().catch(function () { return {}; });
      if (response.status === 401) { uploadStatus.textContent = ""; return; }
      if (!response.ok) {
        // Refused: the file is named, and Add waits for another one.
        uploadStatus.textContent = name + " cannot be added: " + problem(found, response.status) + ". Choose another file.";
        add.disabled = true;
        return;
      }
      ["title", "publisher", "published", "url"].forEach(function (name) {
        const field = upload.elements[name];
        if (field && !field.value && found[name]) field.value = found[name];
      });
      const kinds = { txt: "A text file", md: "A Markdown file", html: "A web page", pdf: "A PDF",
        docx: "A Word document", jsonl: "A JSONL file" };
      uploadStatus.textContent = (kinds[found.kind] || "A file") + " of " + found.words.toLocaleString("en-GB")
        + " words" + (found.documents > 1 ? " in " + found.documents + " documents." : ".");
    }
    file.addEventListener("change", prefill);
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault(); drop.classList.remove("over");
      if (e.dataTransfer.files.length) { file.files = e.dataTransfer.files; prefill(); }
    });
    upload.addEventListener("submit", async function (event) {
      if (upload.elements.key) return;  // with an API key the form posts as it is
      event.preventDefault();
      const button = upload.querySelector("button[type=submit]");
      button.disabled = true;
      uploadStatus.textContent = "Uploading…";
      try {
        const response = await fetch("/api/sources", { method: "POST", body: new FormData(upload) });
        const body = await response.json();
        const name = file.files.length ? file.files[0].name : "The file";
        if (!response.ok) { uploadStatus.textContent = name + " was not added: " + problem(body, response.status); return; }
        bar.hidden = false;
        const job = await follow(body.job_url, function (j) {
          bar.value = j.progress;
          uploadStatus.textContent = j.stage.charAt(0).toUpperCase() + j.stage.slice(1) + "… " + Math.round(j.progress * 100) + "%";
        });
        if (job.state === "done") {
          uploadStatus.textContent = "Added. Reloading the list…";
          location.href = "/sources?added=" + encodeURIComponent(body.id);
        } else {
          uploadStatus.textContent = "Not added: " + job.error;
        }
      } catch (err) {
        uploadStatus.textContent = "The server could not be reached.";
      } finally {
        button.disabled = false;
      }
    });
  }

  function problem(body, status) {
    const d = body && body.detail;
    if (Array.isArray(d)) return d.map(function (x) { return (x.field ? x.field + ": " : "") + x.problem; }).join("; ");
    return d || (body && body.error) || ("HTTP " + status);
  }

  async function follow(url, update) {
    for (;;) {
      const response = await fetch(url);
      if (response.status === 401) { setTimeout(function () { location.reload(); }, 2000); return {}; }
      if (!response.ok) {  // e.g. the server restarted and no longer knows the job
        const gone = { state: "failed", stage: "", progress: 0, error: "the server no longer knows this change; see the documents page" };
        update(gone);
        return gone;
      }
      const job = await response.json();
      update(job);
      if (job.state === "done" || job.state === "failed") return job;
      await new Promise(function (r) { setTimeout(r, 300); });
    }
  }

  const jobBox = document.getElementById("job");
  if (jobBox && window.fetch) {
    // The page refreshes itself without JavaScript; with it, the bar moves in place (or, where the
    // API needs a key this page does not have, the page reloads itself).
    follow("/api/jobs/" + jobBox.dataset.job, function (j) {
      document.getElementById("job-progress").value = j.progress;
      document.getElementById("job-state").textContent = j.state === "done" ? "Done in " + j.took_s + " s: the change is in the answers."
        : j.state === "failed" ? "Failed: " + j.error + ". Nothing was changed."
        : j.stage.charAt(0).toUpperCase() + j.stage.slice(1) + "… (" + Math.round(j.progress * 100) + "%)";
      if (j.state === "done") {
        document.getElementById("job-next").hidden = false;
        const undo = document.getElementById("job-undo");  // a removal can be put back from here
        if (undo) undo.hidden = false;
      }
    });
  }

  // -- chat ----------------------------------------------------------------------------------------
  const form = document.getElementById("ask");
  const question = document.getElementById("question");
  if (!form || !question || !window.fetch) return;
  const conversation = document.getElementById("conversation");
  const button = form.querySelector("button[type=submit]");
  const errorBox = document.getElementById("question-error");
  const label = form.querySelector("label[for=question]");
  const tools = document.getElementById("tools");
  const hint = document.getElementById("send-hint");
  if (hint) hint.textContent = "Press Enter to ask, Shift+Enter for a new line.";

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  const announcer = document.createElement("p");
  announcer.id = "announce"; announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status"); announcer.setAttribute("aria-live", "polite");
  form.appendChild(announcer);

  // Near the limit the help line counts; over it, nothing is cut: the question stays as typed or pasted.
  const limit = Number(question.dataset.max || 0);
  const count = document.getElementById("question-count");
  function counted() {
    const n = question.value.trim().length;
    if (!limit || !count) return n;
    count.hidden = n < limit * 0.8;
    count.textContent = n.toLocaleString("en-GB") + " of " + limit.toLocaleString("en-GB") + " characters"
      + (n > limit ? ": " + (n - limit).toLocaleString("en-GB") + " too many." : ".");
    count.classList.toggle("over", n > limit);
    return n;
  }
  question.addEventListener("input", counted);
  counted();

  // The closed filters' line says the ones chosen, as they are chosen.
  const filterLine = form.querySelector(".filter-line");
  form.querySelectorAll(".filter-fields select").forEach(function (select) {
    select.addEventListener("change", function () {
      const chosen = ["publisher", "source", "actor"].map(function (n) { return form.elements[n]; })
        .filter(function (f) { return f && f.value; })
        .map(function (f) { return f.options[f.selectedIndex].text; });
      if (filterLine) filterLine.textContent = chosen.length ? ": " + chosen.join(" · ") : "";
    });
  });

  function filtersChanged() {
    const now = ["publisher", "source", "actor"].map(function (n) {
      const field = form.elements[n];
      return field ? field.value : "";
    }).join("|");
    return now !== form.dataset.filters;
  }

  question.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async function (event) {
    const text = question.value.trim();
    if (!text) { event.preventDefault(); showError("Please type a question."); question.focus(); return; }
    if (limit && text.length > limit) {
      event.preventDefault();
      showError("Your question is " + text.length.toLocaleString("en-GB") + " characters; the limit is "
        + limit.toLocaleString("en-GB") + ". Shorten it to ask.");
      question.focus();
      return;
    }
    // New filters apply to the whole conversation: let the form post and the page ask it all again.
    if (filtersChanged() && conversation.querySelector(".turn")) return;
    // A conversation keeps its last turns only (the URL holds them): past that, the page is rebuilt.
    if (form.querySelectorAll("input[name=history]").length >= Number(form.dataset.maxTurns || 20)) return;
    event.preventDefault();
    showError("");
    const body = new URLSearchParams(new FormData(form));
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    say("Looking through the sources…");
    try {
      const response = await fetch("/chat/turn", { method: "POST", body: body, headers: { "Accept": "text/html" } });
      const html = await response.text();
      if (!response.ok) {
        showError(response.status === 422 ? html : "The server could not answer just now. Please try again.");
        say("");
        return;
      }
      conversation.insertAdjacentHTML("beforeend", html);
      const turn = conversation.lastElementChild;
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "history"; hidden.value = text;
      // Oldest first, as the server and the URL keep them: the new question goes after the others.
      const earlier = form.querySelectorAll("input[name=history]");
      const last = earlier.length ? earlier[earlier.length - 1] : null;
      form.insertBefore(hidden, last ? last.nextSibling : form.firstChild);
      form.dataset.filters = ["publisher", "source", "actor"].map(function (n) {
        return form.elements[n] ? form.elements[n].value : "";
      }).join("|");
      label.textContent = "Ask a follow-up";
      question.value = "";
      counted();
      const examples = document.querySelector(".examples");
      if (examples) examples.hidden = true;
      if (turn) {
        showCopyButtons(turn);
        history.replaceState(null, "", turn.dataset.url);
        // "Back to the answer" from any earlier quote returns to the whole conversation, this turn included.
        const whole = turn.dataset.url.split("#")[0];
        conversation.querySelectorAll("a.viewsource").forEach(function (a) {
          const owner = a.closest(".turn");
          const url = new URL(a.href, location.href);
          url.searchParams.set("back", whole + "#" + owner.id);
          a.href = url.pathname + url.search + url.hash;
        });
        // A chip's ✕ keeps the questions asked since the page loaded.
        document.querySelectorAll(".chip-remove[data-filter]").forEach(function (a) {
          const url = new URL(turn.dataset.url, location.href);
          url.searchParams.delete(a.dataset.filter);
          a.href = url.pathname + url.search;
        });
        if (tools) {
          tools.hidden = false;
          document.getElementById("export").href = turn.dataset.export;
        }
        // The answer is shown and announced; the keyboard stays in the question box for the next one.
        turn.scrollIntoView({ block: "start" });
        question.focus({ preventScroll: true });
        const refusal = turn.querySelector(".abstain");
        const who = turn.querySelector(".stances");
        const quotes = turn.querySelectorAll("blockquote").length;
        // Said to a screen reader (the answer itself is in view): a line that long would crowd the form on a phone.
        say("");
        announcer.textContent = refusal ? refusal.textContent.trim()
          : "Answer added: " + quotes + (quotes === 1 ? " quote" : " quotes") + (who ? ". " + who.textContent.trim() : ".");
      }
    } catch (err) {
      showError("The server could not be reached. Please try again.");
      say("");
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
})();
