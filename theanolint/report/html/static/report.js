/* theanolint HTML report: sortable overview, pictures inserted when needed, clicks on nodes,
   boxes and findings.  Strings from the report only ever reach the page through textContent. */
(function () {
  "use strict";
  var cache = new WeakMap();

  function data(section) {
    if (!cache.has(section)) {
      var script = section.querySelector("script.fn-data");
      cache.set(section, { d: JSON.parse(script.textContent), hl: [] });
    }
    return cache.get(section);
  }

  function svgText(key) {
    var script = document.getElementById("pic-" + key);
    return script ? JSON.parse(script.textContent) : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fill(picture) {
    if (picture.dataset.drawn) return;
    picture.dataset.drawn = "1";
    picture.classList.remove("lazy");
    var key = picture.dataset.picture;
    var svg = svgText(key);
    if (svg) {
      picture.innerHTML = svg;
      zoomable(picture);
    } else {
      var section = picture.closest("section.function");
      var errors = section ? data(section).d.errors : {};
      picture.textContent = "not drawn: " + ((errors && errors[key]) || "no picture");
    }
    var section2 = picture.closest("section.function");
    if (section2) applyHighlight(section2);
  }

  /* Big pictures start fitted to the frame's width (unless that makes them unreadably small). */
  function zoomable(picture) {
    var svg = picture.querySelector("svg");
    var natural = parseFloat(svg.getAttribute("width")) * 4 / 3;   /* dot writes points */
    var room = picture.clientWidth - 16;
    if (!(natural > room) || room <= 0) return;
    var bar = el("div", "zoom");
    var fit = el("button", null, "fit width");
    var full = el("button", null, "actual size");
    fit.type = full.type = "button";
    function set(fitted) {
      svg.style.width = fitted ? room + "px" : natural + "px";
      svg.style.height = "auto";
      fit.disabled = fitted;
      full.disabled = !fitted;
    }
    fit.addEventListener("click", function () { set(true); });
    full.addEventListener("click", function () { set(false); });
    bar.appendChild(fit);
    bar.appendChild(full);
    picture.insertBefore(bar, svg);
    set(room / natural >= 0.35);
  }

  /* Overview table: click a header to sort by its column. */
  function sortBy(th) {
    var table = th.closest("table");
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var number = th.dataset.type === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function value(row) {
      var text = row.cells[column].dataset.sort;
      if (!number) return text.toLowerCase();
      return text === "" ? -Infinity : parseFloat(text);
    }
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function nodesOf(root, id) {
    return root.querySelectorAll("g.n_" + CSS.escape(id));
  }

  function applyHighlight(section) {
    var state = data(section);
    state.hl.forEach(function (id, index) {
      nodesOf(section, id).forEach(function (g) { g.classList.add(index === 0 ? "hl-primary" : "hl"); });
      var box = state.d.boxOf[id];
      if (box) {
        section.querySelectorAll("g.box.b_" + CSS.escape(box)).forEach(function (g) {
          if (!g.classList.contains("hl-primary")) g.classList.add(index === 0 ? "hl-primary" : "hl");
        });
      }
    });
  }

  function highlight(section, ids) {
    section.querySelectorAll("g.hl, g.hl-primary").forEach(function (g) {
      g.classList.remove("hl", "hl-primary");
    });
    data(section).hl = ids || [];
    applyHighlight(section);
  }

  function openPanel(section, key) {
    var panels = section.querySelector(".panels");
    var existing = panels.querySelector('.panel[data-key="' + CSS.escape(key) + '"]');
    if (existing) {
      panels.insertBefore(existing, panels.firstChild);
      return existing;
    }
    var panel = el("div", "panel");
    panel.dataset.key = key;
    var head = el("div", "panel-head");
    head.appendChild(el("span", "panel-title", data(section).d.titles[key] || key));
    var close = el("button", "close", "close");
    close.type = "button";
    head.appendChild(close);
    var frame = el("div", "frame");
    var picture = el("div", "picture");
    picture.dataset.picture = key;
    frame.appendChild(picture);
    panel.appendChild(head);
    panel.appendChild(frame);
    panels.insertBefore(panel, panels.firstChild);
    fill(picture);
    return panel;
  }

  function reveal(panel) {
    if (panel) panel.scrollIntoView({ block: "start" });
  }

  function markExpanded(section, boxId) {
    section.querySelectorAll("g.box.b_" + CSS.escape(boxId)).forEach(function (g) { g.classList.add("expanded"); });
  }

  function openBox(section, boxId) {
    var box = data(section).d.boxes[boxId];
    if (!box) return null;
    var panel = openPanel(section, box.key);
    markExpanded(section, boxId);
    return panel;
  }

  function button(text, action) {
    var b = el("button", "info-action", text);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function showInfo(section, id) {
    var d = data(section).d;
    var item = d.items[id];
    var info = section.querySelector("aside.info");
    if (!item || !info) return;
    info.textContent = "";
    info.appendChild(el("h4", null, item.op || (item.kind + (item.name ? " " + item.name : ""))));
    var list = el("dl");
    function row(term, value) {
      if (value === undefined || value === null || value === "") return;
      list.appendChild(el("dt", null, term));
      list.appendChild(el("dd", null, value));
    }
    var where = item.path ? item.path + (item.line ? ":" + item.line : "") : "no source line";
    row("source line", where + (item.via ? " (via " + item.via + ")" : ""));
    row("runs", { gpu: "on the GPU", host: "on the host (CPU)", transfer: "copy between host and GPU" }[item.kind] ||
        (item.kind + (item.on_gpu ? ", on the GPU" : ", on the host")));
    row("output dtype", (item.dtypes || [item.dtype]).join(", ") + (item.float64 ? " (computes float64)" : ""));
    if (item.bytes) row("output bytes", String(item.bytes));
    row("node id", id);
    info.appendChild(list);
    d.findings.forEach(function (finding, index) {
      if (finding.nodes.indexOf(id) < 0) return;
      var p = el("p", "finding-note sev-" + (finding.waived ? "waived" : finding.severity));
      p.appendChild(el("strong", null, finding.code + " "));
      p.appendChild(document.createTextNode(finding.message + (finding.waived ? " (waived)" : "")));
      if (finding.focus) p.appendChild(button("show", function () { showFinding(section, index); }));
      info.appendChild(p);
    });
    (item.inner || []).forEach(function (scopeId) {
      var scope = d.scopes[scopeId];
      if (scope && scope.main) {
        info.appendChild(button("open inner graph: " + scope.label, function () {
          reveal(openPanel(section, scope.main));
        }));
      }
    });
    var box = d.boxOf[id];
    if (box) info.appendChild(button("open its box: " + d.boxes[box].title, function () { reveal(openBox(section, box)); }));
    section.querySelectorAll("g.selected").forEach(function (g) { g.classList.remove("selected"); });
    nodesOf(section, id).forEach(function (g) { g.classList.add("selected"); });
  }

  function showFinding(section, index) {
    var finding = data(section).d.findings[index];
    if (!finding || !finding.focus) return;
    section.querySelectorAll("li.finding.selected").forEach(function (li) { li.classList.remove("selected"); });
    var li = section.querySelector('li.finding[data-finding="' + index + '"]');
    if (li) li.classList.add("selected");
    var panel = openPanel(section, finding.focus);
    highlight(section, finding.nodes);
    showInfo(section, finding.nodes[0]);
    reveal(panel);
  }

  function itemId(g, prefix) {
    for (var i = 0; i < g.classList.length; i++) {
      if (g.classList[i].indexOf(prefix) === 0) return g.classList[i].slice(prefix.length);
    }
    return null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var section = target.closest("section.function");
    var th = target.closest("#overview-table th");
    if (th) return sortBy(th);
    if (!section) return;
    var finding = target.closest("li.finding[data-focus]");
    if (finding) return showFinding(section, parseInt(finding.dataset.finding, 10));
    var opener = target.closest("button.open-picture");
    if (opener) return reveal(openPanel(section, opener.dataset.picture));
    var close = target.closest(".panel button.close");
    if (close) return close.closest(".panel").remove();
    var buffer = target.closest("tr[data-node]");
    if (buffer) {
      var id = buffer.dataset.node;
      if (data(section).d.boxOf[id]) openBox(section, data(section).d.boxOf[id]);
      highlight(section, [id]);
      return showInfo(section, id);
    }
    var g = target.closest("svg g.node");
    if (!g) return;
    var box = itemId(g, "b_");
    if (box) return reveal(openBox(section, box));
    var node = itemId(g, "n_");
    if (node) {
      showInfo(section, node);
      var d = data(section).d;
      (d.items[node] && d.items[node].inner || []).forEach(function (scopeId) {
        if (d.scopes[scopeId] && d.scopes[scopeId].main) reveal(openPanel(section, d.scopes[scopeId].main));
      });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var target = event.target;
    if (target.matches && (target.matches("li.finding[data-focus]") || target.matches("#overview-table th"))) {
      event.preventDefault();
      target.click();
    }
  });

  var lazy = document.querySelectorAll(".picture.lazy");
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          fill(entry.target);
        }
      });
    }, { rootMargin: "400px" });
    lazy.forEach(function (picture) { observer.observe(picture); });
  } else {
    lazy.forEach(fill);
  }
})();
