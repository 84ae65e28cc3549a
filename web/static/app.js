// Upgrades the chat form: answers arrive in place, without reloading the page.
// Without this file (or JavaScript) the form posts to the server, which renders the same page.
(function () {
  "use strict";
  const form = document.getElementById("ask");
  if (!form || !window.fetch) return;
  const conversation = document.getElementById("conversation");
  const question = document.getElementById("question");
  const button = form.querySelector("button[type=submit]");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("question-error");
  const label = form.querySelector("label[for=question]");

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  question.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = question.value.trim();
    if (!text) { showError("Please type a question."); question.focus(); return; }
    showError("");
    const body = new URLSearchParams(new FormData(form));
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    status.textContent = "Looking through the sources…";
    try {
      const response = await fetch("/chat/turn", { method: "POST", body: body, headers: { "Accept": "text/html" } });
      const html = await response.text();
      if (!response.ok) {
        showError(response.status === 422 ? html : "The server could not answer just now. Please try again.");
        status.textContent = "";
        return;
      }
      conversation.insertAdjacentHTML("beforeend", html);
      const turn = conversation.lastElementChild;
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "history"; hidden.value = text;
      form.insertBefore(hidden, label);
      label.textContent = "Ask a follow-up";
      question.value = "";
      status.textContent = "Answer added.";
      if (turn) { turn.focus({ preventScroll: true }); turn.scrollIntoView({ block: "start" }); }
    } catch (err) {
      showError("The server could not be reached. Please try again.");
      status.textContent = "";
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
})();
