/*
 * Polku – progressive enhancement. Every page works without this file.
 *
 * 1. Error summary: focused on load; its links move focus to the field.
 * 2. Live preview: forms with data-live-preview post their answers and refresh
 *    the [data-preview-region] summary. The summary is not a live region: after the
 *    refresh, the short texts (data-announce) of the facts that changed are written
 *    once into the status line [data-preview-status]; nothing when none changed.
 * 3. Map picker: [data-map-picker] lets the user choose a point (mouse, or arrow keys
 *    and Enter/Space on the focused map). The ECEC units around the visible area are
 *    drawn as small grey dots for orientation (from /api/v2/ecec-units), so the map is
 *    usable without tiles too. The chosen point is announced in words, never as raw
 *    coordinates: the server names its postal area once the step is sent.
 * 4. Results map: [data-results-map] shows the units of the table and the user's points,
 *    each kind of point (home, workplace, premises) with its own shape and a text legend.
 *
 * Content Security Policy: scripts only from 'self', connect-src 'self'. No inline code,
 * no eval; Leaflet is loaded from the app's own /vendor/leaflet/ by a script element.
 */
(function () {
  "use strict";

  var doc = document;
  var TURKU = [60.4518, 22.2666];
  var DEFAULT_LABELS = {
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    freePlaces: "Free places",
    noRoom: "No free places",
    cleared: "The map point is removed.",
    unitLink: "Show in the table"
  };
  var DEFAULT_CHOSEN = "A point on the map is chosen.";
  // The user's own places: home a circle, workplace a diamond, business premises a square, so that they
  // differ by shape as well as by their labels (never by colour alone). See .map-marker in main.css.
  var POINT_SHAPES = { home: "home", work: "work", premises: "premises" };
  var COLOURS = {
    ink: "#0b0c0c",
    room: "#00703c",
    full: "#b1b4b6",
    unit: "#6f777b",
    white: "#ffffff"
  };
  var UNITS_MIN_KM = 0.1; // the API's limits for radius_km
  var UNITS_MAX_KM = 25;
  var UNITS_DEBOUNCE_MS = 300;

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function byName(name) {
    if (!name) {
      return null;
    }
    var el = doc.getElementById(name);
    if (el && el.name === name) {
      return el;
    }
    var list = doc.getElementsByName(name);
    return list.length ? list[0] : null;
  }

  function parseJson(text) {
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function mergeLabels(given) {
    var labels = {};
    Object.keys(DEFAULT_LABELS).forEach(function (key) {
      var value = given && typeof given[key] === "string" && given[key] ? given[key] : DEFAULT_LABELS[key];
      labels[key] = value;
    });
    return labels;
  }

  function pageLang() {
    return doc.documentElement.getAttribute("lang") || "fi";
  }

  function isFiniteNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  /* ---------- 1. Error summary ---------- */

  function initErrorSummary() {
    var summary = doc.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (doc.activeElement !== summary) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (!link) {
        return;
      }
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var input = id ? doc.getElementById(id) : null;
      if (!input || typeof input.focus !== "function") {
        return;
      }
      // As in GOV.UK: focus the field and scroll its legend or label into view.
      var fieldset = input.closest("fieldset");
      var legend = fieldset ? fieldset.querySelector("legend") : null;
      var label = doc.querySelector('label[for="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
      var anchor = legend || label || input;
      event.preventDefault();
      if (anchor.scrollIntoView) {
        anchor.scrollIntoView();
      }
      input.focus({ preventScroll: true });
    });
  }

  /* ---------- 2. Live preview ---------- */

  function isTextInput(el) {
    if (!el || el.tagName === undefined) {
      return false;
    }
    if (el.tagName === "TEXTAREA") {
      return true;
    }
    if (el.tagName !== "INPUT") {
      return false;
    }
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return ["text", "search", "tel", "email", "url", "number"].indexOf(type) !== -1;
  }

  function normalise(html) {
    return html.replace(/\s+/g, " ").trim();
  }

  /* The preview's facts by name (data-preview-fact), each its short spoken text (data-announce), in page order. */
  function previewFacts(root) {
    var facts = [];
    Array.prototype.forEach.call(root.querySelectorAll("[data-announce]"), function (el, index) {
      facts.push({ name: el.getAttribute("data-preview-fact") || String(index), text: el.getAttribute("data-announce") });
    });
    return facts;
  }

  /* One sentence of what changed between two sets of facts ("Estimate updated: fee 312 € a month"), or "". */
  function previewChange(before, after, prefix) {
    var old = {};
    before.forEach(function (fact) {
      old[fact.name] = fact.text;
    });
    var changed = after
      .filter(function (fact) {
        return fact.text && old[fact.name] !== fact.text;
      })
      .map(function (fact) {
        return fact.text;
      });
    return changed.length ? (prefix ? prefix + " " : "") + changed.join("; ") : "";
  }

  function initLivePreview() {
    var region = doc.querySelector("[data-preview-region]");
    if (!region || !window.fetch || !window.FormData || !window.DOMParser) {
      return;
    }
    var status = doc.querySelector("[data-preview-status]");
    var forms = doc.querySelectorAll("form[data-live-preview]");
    Array.prototype.forEach.call(forms, function (form) {
      var url = form.getAttribute("data-live-preview");
      if (!url) {
        return;
      }
      var timer = null;
      var sequence = 0;
      var lastBody = null;
      var controller = null;

      var submitting = false;

      function refresh() {
        window.clearTimeout(timer);
        timer = null;
        if (submitting) {
          return;
        }
        var data = new FormData(form);
        var body;
        try {
          body = new URLSearchParams(data).toString();
        } catch (e) {
          body = null;
        }
        if (body !== null && body === lastBody) {
          return;
        }
        if (controller) {
          controller.abort();
        }
        controller = window.AbortController ? new AbortController() : null;
        var mine = ++sequence;
        fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "Accept": "text/html" },
          signal: controller ? controller.signal : undefined
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("preview " + response.status);
            }
            return response.text();
          })
          .then(function (html) {
            if (mine !== sequence) {
              return;
            }
            lastBody = body;
            var parsed = new DOMParser().parseFromString(html, "text/html");
            var fresh = parsed.querySelector("[data-preview-region]");
            if (!fresh || normalise(fresh.innerHTML) === normalise(region.innerHTML)) {
              return;
            }
            var before = previewFacts(region);
            var fragment = doc.createDocumentFragment();
            Array.prototype.forEach.call(fresh.childNodes, function (node) {
              fragment.appendChild(doc.importNode(node, true));
            });
            while (region.firstChild) {
              region.removeChild(region.firstChild);
            }
            region.appendChild(fragment);
            // After the content is replaced, one write of one short sentence: announced once.
            var change = status ? previewChange(before, previewFacts(region), status.getAttribute("data-prefix")) : "";
            if (change && change !== status.textContent) {
              status.textContent = change;
            }
          })
          .catch(function () {
            /* The preview is optional: network errors and aborts are ignored. */
          });
      }

      form.addEventListener("change", function () {
        refresh();
      });
      // Clicking the submit button blurs a text field, which fires `change` just before
      // `submit`. Cancel that preview: its late response must not race the real post.
      form.addEventListener("submit", function () {
        submitting = true;
        window.clearTimeout(timer);
        timer = null;
        sequence++;
        if (controller) {
          controller.abort();
          controller = null;
        }
      });
      window.addEventListener("pageshow", function () {
        submitting = false;
      });
      form.addEventListener("input", function (event) {
        if (!isTextInput(event.target)) {
          return;
        }
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 400);
      });
    });
  }

  /* ---------- Leaflet loading ---------- */

  function vendorBase() {
    var link = doc.querySelector('link[rel="stylesheet"][href*="/vendor/leaflet/"]');
    if (link) {
      var href = link.getAttribute("href");
      return href.slice(0, href.lastIndexOf("/") + 1);
    }
    return "/vendor/leaflet/";
  }

  var leafletPromise = null;

  function loadStylesheet(href) {
    return new Promise(function (resolve) {
      var done = false;
      var finish = function () {
        if (!done) {
          done = true;
          resolve();
        }
      };
      var link = doc.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.addEventListener("load", finish);
      link.addEventListener("error", finish);
      doc.head.appendChild(link);
      window.setTimeout(finish, 3000);
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.async = true;
      script.addEventListener("load", function () {
        resolve();
      });
      script.addEventListener("error", function () {
        reject(new Error("Could not load " + src));
      });
      doc.head.appendChild(script);
    });
  }

  function loadLeaflet() {
    if (leafletPromise) {
      return leafletPromise;
    }
    var base = vendorBase();
    var css = doc.querySelector('link[rel="stylesheet"][href*="leaflet"]') ? Promise.resolve() : loadStylesheet(base + "leaflet.css");
    var js = window.L && window.L.map ? Promise.resolve() : loadScript(base + "leaflet.js");
    leafletPromise = Promise.all([css, js]).then(function () {
      if (!window.L || !window.L.map) {
        throw new Error("Leaflet is not available");
      }
      return window.L;
    });
    return leafletPromise;
  }

  function makeMap(L, el, labels, tiles, attribution, options) {
    var motion = !reducedMotion();
    var map = L.map(el, Object.assign({
      zoomControl: false,
      keyboard: true,
      attributionControl: false,
      zoomAnimation: motion,
      fadeAnimation: motion,
      markerZoomAnimation: motion,
      inertia: motion
    }, options || {}));
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    if (typeof tiles === "string" && tiles.trim()) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(tiles.trim(), {
        attribution: typeof attribution === "string" ? attribution : "",
        maxZoom: 19
      }).addTo(map);
    }
    // Leaflet's zoom buttons are links with role="button"; Space should press them too.
    Array.prototype.forEach.call(el.querySelectorAll(".leaflet-control-zoom a"), function (button) {
      button.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Spacebar") {
          event.preventDefault();
          button.click();
        }
      });
    });
    return map;
  }

  function describeWith(el, target) {
    if (!target) {
      return;
    }
    if (!target.id) {
      target.id = (el.id || "map") + "-description";
    }
    el.setAttribute("aria-describedby", target.id);
  }

  /* ---------- 3. Map picker ---------- */

  // A marker for one of the user's own places, shaped by its kind; hidden from assistive technology (the
  // label, the legend and the form say the same in words) and never focusable.
  function pointMarker(L, latlng, kind) {
    var shape = POINT_SHAPES[kind] || "home";
    var marker = L.marker(latlng, {
      icon: L.divIcon({ className: "map-marker map-marker--" + shape, iconSize: [24, 24], iconAnchor: [12, 12] }),
      keyboard: false,
      interactive: false,
      zIndexOffset: 1000
    });
    marker.on("add", function () {
      var el = marker.getElement();
      if (el) {
        el.setAttribute("aria-hidden", "true");
      }
    });
    return marker;
  }

  // Map settings for pickers: from the picker itself, else from <body>.
  function pickerSetting(picker, name) {
    if (picker.hasAttribute(name)) {
      return picker.getAttribute(name);
    }
    return doc.body ? doc.body.getAttribute(name) : null;
  }

  function initPicker(L, picker) {
    var mapEl = picker.querySelector(".map");
    var latInput = byName(picker.getAttribute("data-lat-field"));
    var lonInput = byName(picker.getAttribute("data-lon-field"));
    if (!mapEl || !latInput || !lonInput || mapEl.classList.contains("leaflet-container")) {
      return;
    }
    var status = picker.querySelector(".map-picker__status");
    var clearButton = picker.querySelector("[data-map-clear]");
    var labels = mergeLabels(parseJson(pickerSetting(picker, "data-map-labels")));

    picker.hidden = false;
    var map = makeMap(L, mapEl, labels, pickerSetting(picker, "data-map-tiles"), pickerSetting(picker, "data-map-attribution"));
    mapEl.setAttribute("role", "region");
    var label = picker.getAttribute("data-label");
    if (label) {
      mapEl.setAttribute("aria-label", label);
    }
    describeWith(mapEl, picker.querySelector(".hint"));
    if (mapEl.tabIndex < 0) {
      mapEl.tabIndex = 0;
    }

    var marker = null;

    function announce(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function notify() {
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function showPoint(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        // Larger than the unit dots, with a black border, in the marker pane above them; shaped by the
        // question (home, workplace, premises) like the same place on the results map.
        marker = pointMarker(L, latlng, picker.getAttribute("data-point-kind")).addTo(map);
      }
    }

    function choose(latlng) {
      var lat = Math.round(latlng.lat * 1e5) / 1e5;
      var lon = Math.round(latlng.lng * 1e5) / 1e5;
      showPoint([lat, lon]);
      latInput.value = lat.toFixed(5);
      lonInput.value = lon.toFixed(5);
      // In words, not coordinates: the page names the postal area once the step is sent.
      announce(picker.getAttribute("data-chosen-text") || DEFAULT_CHOSEN);
      notify();
    }

    function clear() {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      latInput.value = "";
      lonInput.value = "";
      announce(labels.cleared);
      notify();
    }

    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      map.setView([lat, lon], 15);
      showPoint([lat, lon]);
    } else {
      map.setView(TURKU, 12);
    }

    map.on("click", function (event) {
      choose(event.latlng);
    });

    // Orientation dots only where the question asks for them (data-units-url).
    var unitsUrl = pickerSetting(picker, "data-units-url");
    if (unitsUrl) {
      showUnitsAround(L, map, unitsUrl, function () {
        /* The point is a marker, drawn above the dots' overlay pane already. */
      });
    }

    mapEl.addEventListener("keydown", function (event) {
      if (event.target !== mapEl || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        choose(map.getCenter());
      }
    });

    if (clearButton) {
      clearButton.addEventListener("click", function () {
        clear();
      });
    }
  }

  /*
   * The ECEC units near the visible area, for orientation: small grey dots with the unit's
   * name as a hover tooltip. They are decoration for sighted users (hidden from assistive
   * technology, never focusable); clicks on them fall through to the map, which chooses the
   * point as anywhere else. Fetched after the map is made and after each move (debounced);
   * errors are ignored, the map works without the dots.
   */
  function showUnitsAround(L, map, url, onDrawn) {
    if (!window.fetch) {
      return;
    }
    // The overlay pane, not a pane of our own: Leaflet's CSS sizes only its SVG correctly
    // (the site's `svg { max-width: 100% }` would shrink another pane's SVG to nothing).
    var layer = L.layerGroup().addTo(map);
    // One tooltip shown on hover, not bindTooltip: that adds focus listeners to the SVG
    // paths, and Chromium then puts every dot in the tab order.
    var tooltip = L.tooltip({ direction: "top", offset: [0, -5] });
    var timer = null;
    var sequence = 0;
    var controller = null;

    function showName(dot, name) {
      tooltip.setLatLng(dot.getLatLng()).setContent(element("span", null, name));
      map.openTooltip(tooltip);
    }

    function hideName() {
      map.closeTooltip(tooltip);
    }

    function radiusKm() {
      var bounds = map.getBounds();
      var half = map.distance(bounds.getSouthWest(), bounds.getNorthEast()) / 2000;
      if (!isFinite(half)) {
        return UNITS_MAX_KM;
      }
      return Math.min(UNITS_MAX_KM, Math.max(UNITS_MIN_KM, Math.ceil(half * 100) / 100));
    }

    function draw(units) {
      hideName();
      layer.clearLayers();
      units.forEach(function (unit) {
        if (!unit || !isFiniteNumber(unit.lat) || !isFiniteNumber(unit.lon)) {
          return;
        }
        var dot = L.circleMarker([unit.lat, unit.lon], {
          radius: 5,
          weight: 1.5,
          color: COLOURS.white,
          fillColor: COLOURS.unit,
          fillOpacity: 1,
          className: "map-unit map-unit--orientation"
        });
        if (typeof unit.name === "string" && unit.name) {
          dot.on("mouseover", function () {
            showName(dot, unit.name);
          });
          dot.on("mouseout", hideName);
        }
        layer.addLayer(dot);
        var path = dot.getElement();
        if (path) {
          path.setAttribute("aria-hidden", "true");
        }
      });
      onDrawn();
    }

    function load() {
      window.clearTimeout(timer);
      timer = null;
      var centre = map.getCenter();
      if (!isFiniteNumber(centre.lat) || !isFiniteNumber(centre.lng)) {
        return;
      }
      var query = "lat=" + centre.lat.toFixed(5) + "&lon=" + centre.lng.toFixed(5) +
        "&radius_km=" + radiusKm() + "&lang=" + encodeURIComponent(pageLang());
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var mine = ++sequence;
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + query, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("units " + response.status);
          }
          return response.json();
        })
        .then(function (body) {
          if (mine === sequence && body && Array.isArray(body.units)) {
            draw(body.units);
          }
        })
        .catch(function () {
          /* Orientation only: a failed or aborted request leaves the dots as they were. */
        });
    }

    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, UNITS_DEBOUNCE_MS);
    });
    load();
  }

  function initPickers() {
    var pickers = doc.querySelectorAll("[data-map-picker]");
    if (!pickers.length) {
      return;
    }
    loadLeaflet()
      .then(function (L) {
        Array.prototype.forEach.call(pickers, function (picker) {
          try {
            initPicker(L, picker);
          } catch (e) {
            picker.hidden = true; // the postal code field still works
          }
        });
      })
      .catch(function () {
        /* Without Leaflet the pickers stay hidden; the text fields are enough. */
      });
  }

  /* ---------- 4. Results map ---------- */

  function element(tag, className, text) {
    var el = doc.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (text !== undefined && text !== null) {
      el.textContent = String(text);
    }
    return el;
  }

  function unitPopup(unit, labels) {
    var box = element("div", "map-popup");
    box.appendChild(element("p", "map-popup__name", unit.name));
    box.appendChild(element("p", "map-popup__room", unit.room ? labels.freePlaces : labels.noRoom));
    // Link to the table row only when it is on this page of results.
    if (unit.id !== undefined && unit.id !== null && doc.getElementById("unit-" + String(unit.id))) {
      var p = element("p");
      var link = element("a", null, labels.unitLink);
      link.href = "#unit-" + encodeURIComponent(String(unit.id));
      p.appendChild(link);
      box.appendChild(p);
    }
    return box;
  }

  function legend(points, units, labels) {
    var list = element("ul", "map-legend");
    points.forEach(function (point) {
      var item = element("li");
      var shape = POINT_SHAPES[point.kind] || "home";
      item.appendChild(element("span", "map-legend__swatch map-legend__swatch--" + shape)).setAttribute("aria-hidden", "true");
      item.appendChild(element("span", null, point.label));
      list.appendChild(item);
    });
    var hasRoom = units.some(function (u) { return u.room; });
    var hasFull = units.some(function (u) { return !u.room; });
    if (hasRoom) {
      var room = element("li");
      room.appendChild(element("span", "map-legend__swatch map-legend__swatch--room")).setAttribute("aria-hidden", "true");
      room.appendChild(element("span", null, labels.freePlaces));
      list.appendChild(room);
    }
    if (hasFull) {
      var full = element("li");
      full.appendChild(element("span", "map-legend__swatch map-legend__swatch--full")).setAttribute("aria-hidden", "true");
      full.appendChild(element("span", null, labels.noRoom));
      list.appendChild(full);
    }
    return list;
  }

  function initResultsMap(L, container) {
    var mapEl = container.querySelector(".map");
    var data = parseJson(container.getAttribute("data-map"));
    if (!mapEl || !data || mapEl.classList.contains("leaflet-container")) {
      return;
    }
    var labels = mergeLabels(data.labels);
    var points = (Array.isArray(data.points) ? data.points : []).filter(function (p) {
      return p && isFiniteNumber(p.lat) && isFiniteNumber(p.lon);
    });
    var units = (Array.isArray(data.units) ? data.units : []).filter(function (u) {
      return u && isFiniteNumber(u.lat) && isFiniteNumber(u.lon);
    });

    container.hidden = false;
    // Finer zoom steps let fitBounds use the space; the buttons and keys still zoom by 1.
    var map = makeMap(L, mapEl, labels, data.tiles, data.attribution, { zoomSnap: 0.25, zoomDelta: 1 });
    if (mapEl.tabIndex < 0) {
      mapEl.tabIndex = 0;
    }
    describeWith(mapEl, container.querySelector(".hint"));

    var latlngs = [];
    units.forEach(function (unit) {
      var latlng = [unit.lat, unit.lon];
      latlngs.push(latlng);
      L.circleMarker(latlng, {
        radius: 8,
        weight: 2,
        color: COLOURS.ink,
        fillColor: unit.room ? COLOURS.room : COLOURS.full,
        fillOpacity: 1,
        className: unit.room ? "map-unit map-unit--room" : "map-unit map-unit--full"
      })
        .bindTooltip(element("span", null, unit.name), { direction: "top", offset: [0, -8] })
        .bindPopup(unitPopup(unit, labels))
        .addTo(map);
    });
    // The labels of the user's points: the northern one above, the others below, so they do not overlap.
    var north = points.reduce(function (max, p) { return Math.max(max, p.lat); }, -Infinity);
    points.forEach(function (point) {
      var latlng = [point.lat, point.lon];
      var direction = point.lat === north ? "top" : "bottom";
      var offset = direction === "top" ? [0, -14] : [0, 14];
      latlngs.push(latlng);
      pointMarker(L, latlng, point.kind)
        .bindTooltip(element("span", null, point.label), { permanent: true, direction: direction, offset: offset })
        .addTo(map);
    });

    if (latlngs.length > 1) {
      map.fitBounds(L.latLngBounds(latlngs), { padding: [30, 30], maxZoom: 15, animate: false });
    } else if (latlngs.length === 1) {
      map.setView(latlngs[0], 14);
    } else {
      map.setView(TURKU, 12);
    }

    if (points.length || units.length) {
      mapEl.parentNode.insertBefore(legend(points, units, labels), mapEl.nextSibling);
    }
  }

  function initResultsMaps() {
    var containers = doc.querySelectorAll("[data-results-map]");
    if (!containers.length) {
      return;
    }
    loadLeaflet()
      .then(function (L) {
        Array.prototype.forEach.call(containers, function (container) {
          try {
            initResultsMap(L, container);
          } catch (e) {
            container.hidden = true; // the table has the same information
          }
        });
      })
      .catch(function () {
        /* Without Leaflet the map stays hidden; the table has the same information. */
      });
  }

  /* ---------- Print: links whose text already is their address ---------- */

  function markUrlLinks() {
    var links = doc.querySelectorAll('.checklist a[href^="http"]');
    Array.prototype.forEach.call(links, function (link) {
      var text = link.textContent.trim().replace(/\/$/, "");
      var href = link.getAttribute("href").trim().replace(/\/$/, "");
      if (text === href || text === href.replace(/^https?:\/\//, "")) {
        link.classList.add("link--is-url");
      }
    });
  }

  /* ---------- Print: breakdowns open on paper ---------- */

  function initPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(doc.querySelectorAll("details:not([open])"), function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) {
        details.open = false;
      });
      opened = [];
    });
  }

  /* ---------- Start ---------- */

  function safely(fn) {
    try {
      fn();
    } catch (e) {
      /* One enhancement failing must not stop the others. */
    }
  }

  function start() {
    safely(initErrorSummary);
    safely(initLivePreview);
    safely(initPickers);
    safely(initResultsMaps);
    safely(markUrlLinks);
    safely(initPrint);
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
