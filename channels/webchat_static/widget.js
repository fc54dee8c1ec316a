/* Stretchbot web chat. Embed with one tag (its only setting is the server in its URL):
 *   <script src="http://localhost:5005/webhooks/webchat/widget.js"></script>
 * In a page with <div id="stretchbot-chat"></div> the chat fills that element; otherwise a
 * "Chat with Stretchbot" button opens it in a corner. Talks socket.io to the same server; the
 * conversation id and the transcript are kept in this browser (localStorage), so a reload keeps
 * the conversation. Routine timers come as {"stretchbot_timer": {...}} messages from the bot. */
(function () {
  "use strict";
  if (window.StretchbotChat) return;
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : window.location.href).href; // .../webhooks/webchat/
  var server = new URL(base).origin;
  var KEY = "stretchbot:" + server;
  var MAX_KEPT = 200;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function load(src, tag, done) {
    var node = tag === "css" ? el("link", { rel: "stylesheet", href: src }) : el("script", { src: src });
    if (done) node.onload = done;
    document.head.appendChild(node);
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (e) {
      return {};
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) { /* private mode: the conversation lasts as long as the page */ }
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  var KINDS = { intro: "Get into position", hold: "Hold", reps: "Reps", "switch": "Switch sides",
    release: "Release", rest: "Rest" };
  var STARTERS = ["Start the daily routine", "A quick desk routine", "How do I do cat-cow?",
    "What helps a stiff upper back?"];

  function build(host, floating) {
    var state = stored();
    if (!state.session_id) state.session_id = newId();
    state.messages = state.messages || [];
    save(state);

    var root = el("section", { class: "sb-chat" + (floating ? " sb-floating" : ""),
      "aria-label": "Chat with Stretchbot" });
    var header = el("h2", { class: "sb-title" }, "Stretchbot");
    var status = el("p", { class: "sb-status", role: "status" }, "Connecting\u2026");
    var log = el("ol", { class: "sb-log", role: "log", "aria-live": "polite", "aria-label": "Conversation",
      tabindex: "0" });
    var timer = el("div", { class: "sb-timer", role: "group", "aria-label": "Routine timer", hidden: "" });
    var timerTitle = el("p", { class: "sb-timer-title" });
    var timerStep = el("p", { class: "sb-timer-step", "aria-live": "off" });
    var bar = el("progress", { class: "sb-progress", max: "1", value: "0", "aria-label": "Time in this step" });
    var controls = el("div", { class: "sb-controls" });
    var pause = el("button", { type: "button", class: "sb-control", "data-say": "pause" }, "Pause");
    var next = el("button", { type: "button", class: "sb-control", "data-say": "next" }, "Next");
    var stop = el("button", { type: "button", class: "sb-control", "data-say": "stop" }, "Stop");
    controls.append(pause, next, stop);
    timer.append(timerTitle, timerStep, bar, controls);
    var replies = el("div", { class: "sb-replies", role: "group", "aria-label": "Suggestions" });
    var form = el("form", { class: "sb-form" });
    var inputId = "sb-input-" + Math.random().toString(36).slice(2);
    var label = el("label", { for: inputId, class: "sb-label" }, "Your message");
    var input = el("input", { id: inputId, type: "text", autocomplete: "off", maxlength: "1000",
      placeholder: "Ask about a stretch, or start a routine" });
    var send = el("button", { type: "submit", class: "sb-send" }, "Send");
    form.append(label, input, send);
    root.append(header, status, log, timer, replies, form);

    if (floating) {
      var launcher = el("button", { type: "button", class: "sb-launcher", "aria-expanded": "false" },
        "Chat with Stretchbot");
      root.hidden = true;
      launcher.addEventListener("click", function () {
        root.hidden = !root.hidden;
        launcher.setAttribute("aria-expanded", String(!root.hidden));
        if (!root.hidden) input.focus();
      });
      host.append(launcher, root);
    } else {
      host.append(root);
    }

    function show(who, text, keep) {
      var item = el("li", { class: "sb-msg sb-" + who });
      item.append(el("span", { class: "sb-who" }, who === "user" ? "You: " : "Stretchbot: "));
      item.append(el("span", { class: "sb-text" }, text));
      log.append(item);
      log.scrollTop = log.scrollHeight;
      if (keep !== false) {
        state.messages.push([who, text]);
        state.messages = state.messages.slice(-MAX_KEPT);
        save(state);
      }
    }

    function suggest(options) {
      replies.textContent = "";
      options.forEach(function (option) {
        var button = el("button", { type: "button", class: "sb-reply" }, option.title);
        button.addEventListener("click", function () { say(option.payload || option.title, option.title); });
        replies.append(button);
      });
    }

    var socket = window.io(server, { transports: ["websocket"] });

    function say(text, shown) {
      text = (text || "").trim();
      if (!text) return;
      show("user", shown || text);
      replies.textContent = "";
      socket.emit("user_uttered", { message: text, session_id: state.session_id });
    }

    // The timer: counts down locally from what the bot last said about the routine.
    var current = null;
    var receivedAt = 0;
    function drawTimer() {
      if (!current || ["running", "paused", "ready"].indexOf(current.status) < 0) {
        timer.hidden = true;
        return;
      }
      timer.hidden = false;
      var running = current.status === "running";
      var left = current.left - (running ? (Date.now() - receivedAt) / 1000 : 0);
      left = Math.max(0, left);
      timerTitle.textContent = "Stretch " + current.number + " of " + current.of + ": " + current.stretch;
      var kind = KINDS[current.kind] || current.kind;
      timerStep.textContent = kind + " \u2014 " + clock(left) + " left" + (running ? "" : " (paused)");
      bar.max = Math.max(current.seconds, 0.001);
      bar.value = Math.max(0, current.seconds - left);
      pause.textContent = running ? "Pause" : "Resume";
      pause.setAttribute("data-say", running ? "pause" : "resume");
      timer.setAttribute("data-left", left.toFixed(2));
    }
    setInterval(drawTimer, 250);
    [pause, next, stop].forEach(function (button) {
      button.addEventListener("click", function () { say(button.getAttribute("data-say"), button.textContent); });
    });

    state.messages.forEach(function (m) { show(m[0], m[1], false); });
    if (!state.messages.length) suggest(STARTERS.map(function (t) { return { title: t }; }));

    socket.on("connect", function () {
      status.textContent = "Connected";
      socket.emit("session_request", { session_id: state.session_id });
    });
    socket.on("disconnect", function () { status.textContent = "Reconnecting\u2026"; });
    socket.on("connect_error", function () { status.textContent = "Can't reach Stretchbot; retrying\u2026"; });
    socket.on("bot_uttered", function (data) {
      data = data || {};
      if (data.stretchbot_timer !== undefined) {
        current = data.stretchbot_timer;
        receivedAt = Date.now();
        drawTimer();
      }
      if (data.text) show("bot", data.text);
      var options = data.quick_replies || data.buttons;
      if (options && options.length) suggest(options);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      say(input.value);
      input.value = "";
    });
    return { say: say, element: root };
  }

  function start() {
    var host = document.getElementById("stretchbot-chat");
    window.StretchbotChat = build(host || document.body, !host);
  }

  load(base + "widget.css", "css");
  function ready() {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  if (window.io) ready();
  else load(base + "socket.io.min.js", "js", ready);
})();
