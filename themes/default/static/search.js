// coffeechat's search box: results as you type, from the index the build wrote in
// search/ (loaded with <script> tags, which a page opened from disk may use where it
// may not fetch). Without scripts the box is a form that opens the A-Z page.
//
// search/index.js calls coffeechatSearch.shards(N); each search/index-I.js calls
// coffeechatSearch.shard(I, text): its entries as JSON, deflated, in base64. An entry
// is [group, name, url, aliases, about, questions, text, words, exact]: text is the
// start of the note's text, words the other words of it, exact the hashes of an email
// or phone (see src/render/search.rs), found only when typed whole.
(function () {
  'use strict';
  var script = document.currentScript;
  var root = script.src.replace(/static\/search\.js([?#].*)?$/, '');
  var GROUPS = { people: 'People', companies: 'Companies', chats: 'Chats', questions: 'Questions', notes: 'Notes' };
  var PER_GROUP = 5;
  var entries = [];
  var exact = new Map();
  // Each field of every entry in lower case, joined in one text per field, and where
  // each entry's part starts: one indexOf over a field finds the next entry that has a
  // word, where a loop over the entries would look in each.
  var hay = [];
  var starts = [];
  var expected = -1;
  var loaded = 0;
  var loading = null;
  var whenReady = [];
  var box = null;
  var panel = null;

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve) { whenReady.push(resolve); });
      add(root + 'search/index.js');
    }
    return loading;
  }

  function add(src) {
    var s = document.createElement('script');
    s.src = src;
    s.onerror = function () { show('The search index is missing: build the site again.'); };
    document.head.appendChild(s);
  }

  function inflate(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).text();
  }

  function ready() {
    // Shards arrive in any order: a fixed order keeps equal scores in one order.
    entries.sort(function (a, b) { return a.url < b.url ? -1 : a.url > b.url ? 1 : 0; });
    entries.forEach(function (e, i) {
      e.keys.forEach(function (k) {
        if (!exact.has(k)) exact.set(k, []);
        exact.get(k).push(i);
      });
    });
    FIELDS.forEach(function (field, f) {
      var at = new Int32Array(entries.length + 1);
      var parts = [];
      var length = 0;
      entries.forEach(function (e, i) {
        at[i] = length;
        var text = e[field.at].toLowerCase();
        parts.push(text);
        length += text.length + 1;
      });
      at[entries.length] = length;
      hay[f] = parts.join('\u0000');
      starts[f] = at;
    });
    whenReady.forEach(function (resolve) { resolve(); });
  }

  function entry(a) {
    return {
      group: a[0], name: a[1], url: a[2], aliases: a[3], about: a[4], questions: a[5],
      text: a[6], words: a[7], keys: a[8], lower: a[1].toLowerCase(),
    };
  }

  window.coffeechatSearch = {
    shards: function (n) {
      expected = n;
      for (var i = 0; i < n; i++) add(root + 'search/index-' + i + '.js');
      if (n === 0) ready();
    },
    shard: function (i, b64) {
      inflate(b64).then(function (text) {
        JSON.parse(text).forEach(function (a) { entries.push(entry(a)); });
        loaded += 1;
        if (loaded === expected) ready();
      });
    },
    load: load,
    query: query,
  };

  // What each field is worth when a word is found in it: at the start of the field,
  // at the start of a word in it, or inside a word.
  var FIELDS = [
    { at: 'name', worth: [100, 70, 40] },
    { at: 'aliases', worth: [90, 60, 35] },
    { at: 'about', worth: [30, 30, 15] },
    { at: 'questions', worth: [25, 25, 12] },
    { at: 'text', worth: [10, 10, 5] },
    { at: 'words', worth: [10, 10, 5] },
  ];
  var WORD = /[\p{L}\p{N}]/u;

  // Whether the character at `i` is a letter or digit; ASCII without the regular
  // expression, which a common word would run for every note.
  function inWord(text, i) {
    var c = text.charCodeAt(i);
    if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    return WORD.test(text[i]);
  }

  // For each entry that has `term` in field `f`: what it is worth there, and where in
  // the entry's part it is, preferring the start of a word. `best` and `where` are
  // kept per entry, the better of this field and those before.
  function scan(f, term, best, field, where) {
    var text = hay[f];
    var at = starts[f];
    var worth = FIELDS[f].worth;
    var i = 0;
    var pos = text.indexOf(term);
    while (pos >= 0) {
      while (at[i + 1] <= pos) i++;
      var from = pos - at[i];
      var tier = from === 0 ? 0 : inWord(text, pos - 1) ? 2 : 1;
      if (worth[tier] > best[i]) { best[i] = worth[tier]; field[i] = f; where[i] = from; }
      // A word's start is the best this field gives: go on to the next entry.
      pos = text.indexOf(term, tier === 2 ? pos + 1 : at[i + 1]);
    }
  }

  function fnv(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return ('0000000' + h.toString(16)).slice(-8);
  }

  function exactHits(text) {
    var q = text.trim().toLowerCase();
    var keys = [];
    if (q.indexOf('@') > 0) keys.push(fnv(q));
    var digits = q.replace(/\D/g, '');
    if (/^[\d\s+().-]+$/.test(q) && digits.length >= 5) keys.push(fnv(digits));
    var hits = new Set();
    keys.forEach(function (k) { (exact.get(k) || []).forEach(function (i) { hits.add(i); }); });
    return hits;
  }

  // The entries that have every word of `text`, best first: [{entry, score, field, at}].
  function query(text) {
    var terms = text.toLowerCase().split(/\s+/).filter(Boolean);
    var whole = exactHits(text);
    var n = entries.length;
    var score = new Float64Array(n);
    var firstField = new Int8Array(n).fill(-1);
    var firstAt = new Int32Array(n);
    var found = [];
    if (terms.length === 0) return found;
    for (var t = 0; t < terms.length; t++) {
      var best = new Float64Array(n);
      var field = new Int8Array(n).fill(-1);
      var where = new Int32Array(n);
      for (var f = 0; f < FIELDS.length; f++) scan(f, terms[t], best, field, where);
      for (var i = 0; i < n; i++) {
        if (best[i] === 0 || (t > 0 && score[i] < 0)) { score[i] = -1; continue; }
        score[i] += best[i];
        if (t === 0) { firstField[i] = field[i]; firstAt[i] = where[i]; }
      }
    }
    for (var j = 0; j < n; j++) {
      var s = score[j] > 0 ? score[j] : 0;
      if (whole.has(j)) s += 1000;
      if (s > 0) found.push({ entry: entries[j], score: s, field: score[j] > 0 ? firstField[j] : -1, at: firstAt[j] });
    }
    found.sort(function (a, b) {
      // Names compared as text, not by locale: a common word can match every note.
      var x = a.entry.lower;
      var y = b.entry.lower;
      return b.score - a.score || (x < y ? -1 : x > y ? 1 : 0);
    });
    return found;
  }

  // `text` with each term marked, as nodes appended to `into`.
  function mark(into, text, terms) {
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var next = -1;
      var len = 0;
      terms.forEach(function (t) {
        var i = lower.indexOf(t, at);
        if (i >= 0 && (next < 0 || i < next)) { next = i; len = t.length; }
      });
      if (next < 0) break;
      into.appendChild(document.createTextNode(text.slice(at, next)));
      var m = document.createElement('mark');
      m.textContent = text.slice(next, next + len);
      into.appendChild(m);
      at = next + len;
    }
    into.appendChild(document.createTextNode(text.slice(at)));
  }

  // The line a result shows under its name: the words around the match.
  function snippet(hit) {
    var e = hit.entry;
    if (hit.field < 0) return 'email or phone';
    if (hit.field === 0) return e.about;
    if (FIELDS[hit.field].at === 'words') {
      var end = e.words.indexOf(' ', hit.at);
      return '… ' + e.words.slice(e.words.lastIndexOf(' ', hit.at) + 1, end < 0 ? undefined : end) + ' …';
    }
    var text = e[FIELDS[hit.field].at];
    var start = Math.max(0, hit.at - 40);
    var end = Math.min(text.length, hit.at + 100);
    var cut = text.slice(start, end).replace(/\s+/g, ' ');
    return (start > 0 ? '…' : '') + cut + (end < text.length ? '…' : '');
  }

  function show(message) {
    panel.textContent = '';
    var p = document.createElement('p');
    p.className = 'search-note';
    p.textContent = message;
    panel.appendChild(p);
    panel.hidden = false;
  }

  function render() {
    var text = box.value;
    if (!text.trim()) { panel.hidden = true; return; }
    if (expected < 0 || loaded < expected) { show('Loading the index…'); return; }
    var hits = query(text);
    if (hits.length === 0) { show('Nothing found for “' + text.trim() + '”.'); return; }
    var terms = text.toLowerCase().split(/\s+/).filter(Boolean);
    var groups = [];
    var byGroup = {};
    hits.forEach(function (h) {
      var g = h.entry.group;
      if (!byGroup[g]) { byGroup[g] = []; groups.push(g); }
      byGroup[g].push(h);
    });
    panel.textContent = '';
    groups.forEach(function (g) {
      var section = document.createElement('section');
      var title = document.createElement('h2');
      title.textContent = GROUPS[g] + ' (' + byGroup[g].length + ')';
      section.appendChild(title);
      var list = document.createElement('ul');
      byGroup[g].slice(0, PER_GROUP).forEach(function (h) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = root + h.entry.url;
        var name = document.createElement('span');
        name.className = 'search-name';
        mark(name, h.entry.name, terms);
        a.appendChild(name);
        var line = snippet(h);
        if (line) {
          var s = document.createElement('span');
          s.className = 'search-snippet';
          mark(s, line, terms);
          a.appendChild(s);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      section.appendChild(list);
      panel.appendChild(section);
    });
    panel.hidden = false;
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll('a'));
  }

  function onKey(event) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      panel.hidden = true;
      box.focus();
    } else if (event.key === 'ArrowDown' && !panel.hidden && all.length) {
      event.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && i >= 0) {
      event.preventDefault();
      (i === 0 ? box : all[i - 1]).focus();
    }
  }

  function start() {
    var form = document.querySelector('form.search');
    if (!form) return;
    box = form.querySelector('input');
    panel = document.createElement('div');
    panel.className = 'search-results';
    panel.hidden = true;
    form.appendChild(panel);
    box.addEventListener('focus', function () { load().then(render); });
    box.addEventListener('input', render);
    form.addEventListener('keydown', onKey);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var first = panel.hidden ? null : panel.querySelector('a');
      window.location.href = first ? first.href : form.action;
    });
    document.addEventListener('keydown', function (event) {
      var t = event.target;
      var typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        box.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (!form.contains(event.target)) panel.hidden = true;
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
