// golayout report: a squarified treemap on a canvas, with zoom, breadcrumb,
// search, a VM/file toggle and sortable tables. No libraries, no network.
// The data is the compact tree documented in crates/cli/src/cmd/report/html.rs.
(function () {
  'use strict';

  // ---- data -------------------------------------------------------------
  const RAW = JSON.parse(document.getElementById('golayout-data').textContent);
  const S = RAW.s, DIFF = RAW.diff, META = RAW.meta;
  const KINDS = ['root', 'segment', 'section', 'class', 'package', 'var', 'func', 'rest'];
  const CLASSES = ['noptrdata', 'data', 'bss', 'noptrbss', 'rodata', 'other'];
  const COLORS = {
    noptrdata: '#4e79a7', data: '#f28e2b', bss: '#e15759', noptrbss: '#76b7b2', rodata: '#59a14f',
    other: '#bab0ac', text: '#edc948', pclntab: '#b07aa1', types: '#ff9da7', debug: '#9c755f',
    segment: '#cfd3d8', unloaded: '#c9c4bd', root: '#dddddd'
  };
  const LABELS = {
    noptrdata: 'noptrdata', data: 'data', bss: 'bss', noptrbss: 'noptrbss', rodata: 'rodata', other: 'other',
    text: 'text (functions)', pclntab: 'pclntab', types: 'type data', debug: 'debug (file only)'
  };

  let leaves = [];  // variables and functions
  function decode(a, parent, pkg) {
    const kind = KINDS[a[1]];
    let name = S[a[0]];
    if ((kind === 'var' || kind === 'func') && pkg !== null && name.charCodeAt(0) === 46) name = pkg + name;
    const n = {
      name, kind, tag: S[a[2]], v: a[3], f: a[4], kids: null, parent,
      p: a.length > 6 ? a[6] : -1, a: a.length > 7 ? a[7] : -1,
      t: a.length > 8 && a[8] >= 0 ? S[a[8]] : null,
      ov: DIFF ? a[9] : 0, of: DIFF ? a[10] : 0, cls: null, sorted: {}
    };
    n.cls = kind === 'class' ? n.name : parent ? parent.cls : null;
    if (kind === 'var' || kind === 'func') { n.pkg = pkg; leaves.push(n); }
    const k = a[5];
    if (k) {
      const cpkg = kind === 'package' ? n.name : pkg;
      n.kids = new Array(k.length);
      for (let i = 0; i < k.length; i++) n.kids[i] = decode(k[i], n, cpkg);
    }
    return n;
  }
  const ROOT = decode(RAW.t, null, null);

  // ---- state ------------------------------------------------------------
  let mode = 'vm';
  let view = ROOT;
  let boxes = [];
  let hits = null, hitAnc = null;
  const $ = (id) => document.getElementById(id);
  const canvas = $('treemap'), ctx = canvas.getContext('2d'), tip = $('tip');

  function size(n) {
    return mode === 'vm' ? (DIFF ? Math.max(n.v, n.ov) : n.v) : (DIFF ? Math.max(n.f, n.of) : n.f);
  }
  function cur(n) { return mode === 'vm' ? n.v : n.f; }
  function old(n) { return mode === 'vm' ? n.ov : n.of; }

  function fmt(b) {
    const u = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0, x = b;
    while (Math.abs(x) >= 1024 && i < u.length - 1) { x /= 1024; i++; }
    return (i === 0 ? String(x) : x.toFixed(Math.abs(x) < 10 ? 2 : 1)) + ' ' + u[i];
  }
  function signed(b) { return (b > 0 ? '+' : b < 0 ? '−' : '±') + fmt(Math.abs(b)); }
  function hex(a) { return a >= 0 ? '0x' + a.toString(16) : '-'; }
  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }
  function label(n) { return n.virtual ? n.name : n.kind === 'class' ? n.name + ' (class)' : n.name; }

  // ---- colours ----------------------------------------------------------
  function mix(hexc, t) {  // towards white by t in [0,1]
    const c = parseInt(hexc.slice(1), 16);
    const ch = (s) => Math.round(((c >> s) & 255) * (1 - t) + 255 * t);
    return 'rgb(' + ch(16) + ',' + ch(8) + ',' + ch(0) + ')';
  }
  function colour(n, depth) {
    if (DIFF) {
      const o = old(n), c = cur(n);
      if (o === c) return '#e6e6e6';
      const t = o === 0 || c === 0 ? 1 : Math.min(1, Math.abs(Math.log2(c / o)) * 1.5);
      return mix(c > o ? '#d62728' : '#2ca02c', 0.85 - 0.75 * t);
    }
    const base = COLORS[n.cls || n.tag] || COLORS.other;
    if (n.kind === 'rest' || n.virtual) return mix(base, 0.72);
    return mix(base, Math.min(0.6, 0.12 * depth));
  }

  // ---- layout -----------------------------------------------------------
  function sortedKids(n) {
    if (n.virtual) return n.kids;
    const key = mode + (DIFF ? 'd' : '');
    if (!n.sorted[key]) n.sorted[key] = (n.kids || []).filter((c) => size(c) > 0).sort((a, b) => size(b) - size(a));
    return n.sorted[key];
  }
  function worst(sum, rmax, rmin, side) {
    const s2 = sum * sum, w2 = side * side;
    return Math.max((w2 * rmax) / s2, s2 / (w2 * rmin));
  }
  // Squarified treemap (Bruls, Huizing, van Wijk): items sorted by area, descending.
  function squarify(items, x, y, w, h, out) {
    let i = 0;
    while (i < items.length) {
      const side = Math.min(w, h);
      if (side <= 0) return;
      const rmax = items[i].area;
      let sum = rmax, j = i + 1, bad = worst(sum, rmax, rmax, side);
      while (j < items.length) {
        const s = sum + items[j].area, nb = worst(s, rmax, items[j].area, side);
        if (nb > bad) break;
        bad = nb; sum = s; j++;
      }
      const thick = sum / side;
      let off = 0;
      for (let k = i; k < j; k++) {
        const len = items[k].area / thick;
        if (w >= h) out.push({ n: items[k].n, x, y: y + off, w: thick, h: len });
        else out.push({ n: items[k].n, x: x + off, y, w: len, h: thick });
        off += len;
      }
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
      i = j;
    }
  }
  const MIN_AREA = 40;  // px²: smaller children are gathered into "N small items"
  function smallGroup(parent, group) {
    const g = { name: group.length + ' small items', kind: 'group', virtual: true, kids: group, parent,
      cls: parent.cls, tag: parent.tag, v: 0, f: 0, ov: 0, of: 0, p: -1, a: -1, t: null, sorted: {} };
    for (const c of group) { g.v += c.v; g.f += c.f; g.ov += c.ov; g.of += c.of; }
    return g;
  }
  function layoutKids(n, x, y, w, h) {
    const kids = sortedKids(n);
    let total = 0;
    for (const c of kids) total += size(c);
    if (total <= 0 || w < 1 || h < 1) return [];
    const scale = (w * h) / total;
    const items = [];
    let cut = kids.length;
    for (let i = 0; i < kids.length; i++) {
      if (size(kids[i]) * scale < MIN_AREA && kids.length - i > 1) { cut = i; break; }
      items.push({ n: kids[i], area: size(kids[i]) * scale });
    }
    if (cut === 0) return [];  // all too small: the box is drawn as a leaf
    if (cut < kids.length) {
      const g = smallGroup(n, kids.slice(cut));
      items.push({ n: g, area: size(g) * scale });
    }
    const out = [];
    squarify(items, x, y, w, h, out);
    return out;
  }

  // ---- drawing ----------------------------------------------------------
  const HEAD = 15;
  function fitText(s, max) {
    if (max <= 8) return '';
    if (ctx.measureText(s).width <= max) return s;
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(s.slice(0, mid) + '…').width <= max) lo = mid; else hi = mid - 1;
    }
    return lo > 0 ? s.slice(0, lo) + '…' : '';
  }
  function isHit(n) {
    if (!hits) return false;
    if (hits.has(n) || hitAnc.has(n)) return true;
    return n.virtual ? n.kids.some((c) => hits.has(c) || hitAnc.has(c)) : false;
  }
  function drawBox(b, depth) {
    const n = b.n;
    ctx.fillStyle = colour(n, depth);
    ctx.fillRect(b.x, b.y, b.w, b.h);
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.lineWidth = 1;
    ctx.strokeRect(b.x + 0.5, b.y + 0.5, Math.max(0, b.w - 1), Math.max(0, b.h - 1));
    b.depth = depth;
    boxes.push(b);
    const hasKids = n.kids && n.kids.length > 0;
    let expanded = false;
    if (hasKids && b.w > 30 && b.h > HEAD + 12) {
      text(b, true);
      const inner = layoutKids(n, b.x + 2, b.y + HEAD, b.w - 4, b.h - HEAD - 2);
      expanded = inner.length > 0;
      for (const c of inner) drawBox(c, depth + 1);
    } else if (b.w > 24 && b.h > 12) {
      text(b, false);
    }
    b.hl = !!hits && (hits.has(n) || (!expanded && isHit(n)));
    if (b.hl) {
      ctx.strokeStyle = '#ffd400';
      ctx.lineWidth = 3;
      ctx.strokeRect(b.x + 1.5, b.y + 1.5, Math.max(0, b.w - 3), Math.max(0, b.h - 3));
    }
  }
  function text(b, head) {
    ctx.fillStyle = '#111';
    const s = label(b.n), sz = DIFF ? fmt(cur(b.n)) + ' (' + signed(cur(b.n) - old(b.n)) + ')' : fmt(cur(b.n));
    if (head) {
      ctx.font = '600 11px system-ui, sans-serif';
      const t = fitText(s + '  ' + sz, b.w - 6) || fitText(s, b.w - 6);
      ctx.fillText(t, b.x + 3, b.y + 11);
      return;
    }
    ctx.font = '11px system-ui, sans-serif';
    const t = fitText(s, b.w - 6);
    ctx.fillText(t, b.x + 3, b.y + 12);
    if (b.h > 28) ctx.fillText(fitText(sz, b.w - 6), b.x + 3, b.y + 25);
  }
  function draw() {
    const r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(r.width * dpr));
    canvas.height = Math.max(1, Math.round(r.height * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, r.width, r.height);
    ctx.textBaseline = 'alphabetic';
    boxes = [];
    for (const b of layoutKids(view, 0, 0, r.width, r.height)) drawBox(b, 1);
    if (!boxes.length) {
      ctx.fillStyle = '#666';
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText('Nothing here has ' + (mode === 'vm' ? 'memory' : 'file') + ' bytes.', 16, 28);
    }
  }

  // ---- tooltip, zoom, breadcrumb ------------------------------------------
  function boxAt(x, y) {
    for (let i = boxes.length - 1; i >= 0; i--) {
      const b = boxes[i];
      if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) return b;
    }
    return null;
  }
  function tipHtml(n) {
    const rows = ['<b>' + esc(n.name) + '</b>'];
    const what = n.virtual ? 'aggregated boxes' : n.kind;
    rows.push('<span class="k">' + what + (n.cls ? ' · class ' + n.cls : n.tag ? ' · ' + esc(n.tag) : '') + '</span>');
    if (n.pkg) rows.push('<span class="k">package</span> ' + esc(n.pkg));
    rows.push('<span class="k">memory</span> ' + fmt(n.v) + ' (' + n.v.toLocaleString() + ' B) · <span class="k">file</span> ' + fmt(n.f));
    if (DIFF) {
      const d = cur(n) - old(n), pc = old(n) ? ' (' + ((100 * d) / old(n)).toFixed(1) + '%)' : old(n) === 0 && cur(n) ? ' (new)' : '';
      rows.push('<span class="k">baseline</span> ' + fmt(old(n)) + ' → ' + fmt(cur(n)) + ' <b class="' + (d > 0 ? 'up' : 'down') + '">' + signed(d) + pc + '</b>');
    }
    if (n.p >= 0) rows.push('<span class="k">pointer words</span> ' + n.p.toLocaleString());
    if (n.a >= 0) rows.push('<span class="k">address</span> ' + hex(n.a));
    if (n.t) rows.push('<span class="k">type</span> ' + esc(n.t));
    if (n.kids && n.kids.length) rows.push('<span class="k">' + n.kids.length.toLocaleString() + ' children</span>');
    return rows.join('<br>');
  }
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect(), b = boxAt(e.clientX - r.left, e.clientY - r.top);
    if (!b) { tip.style.display = 'none'; return; }
    tip.innerHTML = tipHtml(b.n);
    tip.style.display = 'block';
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tw - 8) + 'px';
    tip.style.top = (e.clientY + 16 + th > window.innerHeight ? e.clientY - th - 10 : e.clientY + 16) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
  canvas.addEventListener('click', (e) => {
    const r = canvas.getBoundingClientRect(), b = boxAt(e.clientX - r.left, e.clientY - r.top);
    if (!b) return;
    let n = b.n;
    if (!(n.kids && n.kids.length)) n = n.parent;
    if (n && n !== view) zoom(n);
  });
  canvas.addEventListener('contextmenu', (e) => { e.preventDefault(); if (view.parent) zoom(view.parent); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && view.parent) zoom(view.parent); });

  function zoom(n) {
    view = n;
    crumbs();
    draw();
    tables();
  }
  function crumbs() {
    const path = [];
    for (let n = view; n; n = n.parent) path.unshift(n);
    const nav = $('crumbs');
    nav.innerHTML = '';
    path.forEach((n) => {
      const s = document.createElement('span');
      s.textContent = label(n) + ' (' + fmt(cur(n)) + ')';
      s.dataset.kind = n.kind;
      s.addEventListener('click', () => { if (n !== view) zoom(n); });
      nav.appendChild(s);
    });
  }

  // ---- search ---------------------------------------------------------------
  function search(q) {
    q = q.trim().toLowerCase();
    const out = $('matches');
    out.innerHTML = '';
    if (!q) { hits = hitAnc = null; $('search-count').textContent = ''; draw(); return []; }
    hits = new Set();
    hitAnc = new Set();
    const found = [];
    const visit = (n) => {
      if (n.kind !== 'root' && n.name.toLowerCase().includes(q)) { hits.add(n); found.push(n); }
      if (n.kids) for (const c of n.kids) visit(c);
    };
    visit(ROOT);
    for (const n of found) for (let p = n.parent; p; p = p.parent) hitAnc.add(p);
    $('search-count').textContent = found.length.toLocaleString() + (found.length === 1 ? ' match' : ' matches');
    found.slice(0, 12).forEach((n) => {
      const s = document.createElement('span');
      s.textContent = n.name;
      s.title = 'zoom to its parent';
      s.addEventListener('click', () => zoom(n.kids && n.kids.length ? n : n.parent || ROOT));
      out.appendChild(s);
    });
    draw();
    return found;
  }
  let searchTimer = 0;
  $('search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(e.target.value), 120);
  });

  // ---- tables ---------------------------------------------------------------
  const TOP = 200;
  function under(n) {
    const out = [];
    const visit = (x) => { if (x.kind === 'var' || x.kind === 'func') out.push(x); else if (x.kids) x.kids.forEach(visit); };
    visit(n);
    return out;
  }
  function table(el, cols, rows) {
    let key = cols.find((c) => c.sort) || cols[0], asc = false;
    const render = () => {
      const sorted = rows.slice().sort((a, b) => {
        const x = key.get(a), y = key.get(b);
        const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return asc ? c : -c;
      });
      const head = '<tr>' + cols.map((c, i) => '<th data-i="' + i + '" class="' + (c.num ? 'n' : '') +
        (c === key ? ' sorted' + (asc ? ' asc' : '') : '') + '">' + c.name + '</th>').join('') + '</tr>';
      const body = sorted.map((r) => '<tr>' + cols.map((c) => '<td class="' + (c.num ? 'n' : c.wide ? 'name' : '') + '">' +
        esc(c.show ? c.show(c.get(r), r) : c.get(r)) + '</td>').join('') + '</tr>').join('');
      el.innerHTML = '<thead>' + head + '</thead><tbody>' + body + '</tbody>';
      el.querySelectorAll('th').forEach((th) => th.addEventListener('click', () => {
        const c = cols[+th.dataset.i];
        if (c === key) asc = !asc; else { key = c; asc = !c.num; }
        render();
      }));
    };
    render();
  }
  function deltaCols(get) {
    if (!DIFF) return [];
    return [{ name: 'Baseline', num: true, get: (r) => get(r).o, show: fmt },
      { name: 'Change', num: true, get: (r) => get(r).c - get(r).o, show: signed }];
  }
  function tables() {
    const leavesHere = view === ROOT ? leaves : under(view);
    const top = leavesHere.slice().sort((a, b) => size(b) - size(a)).slice(0, TOP);
    const sz = (r) => ({ c: cur(r), o: old(r) });
    $('vars-title').textContent = 'Largest symbols under ' + label(view) + ' (' + Math.min(TOP, leavesHere.length) + ' of ' + leavesHere.length.toLocaleString() + ')';
    table($('top-vars'), [
      { name: 'Name', wide: true, get: (r) => r.name },
      { name: 'Kind', get: (r) => (r.kind === 'func' ? 'func' : r.cls || r.tag) },
      { name: mode === 'vm' ? 'Memory' : 'File', num: true, sort: true, get: (r) => cur(r), show: fmt },
      ...deltaCols(sz),
      { name: 'File', num: true, get: (r) => r.f, show: fmt },
      { name: 'Ptr words', num: true, get: (r) => r.p, show: (p) => (p >= 0 ? p.toLocaleString() : '-') },
      { name: 'Address', get: (r) => r.a, show: hex },
      { name: 'Type', get: (r) => r.t || '' }
    ], top);
    const pk = new Map();
    for (const l of leavesHere) {
      let p = pk.get(l.pkg);
      if (!p) pk.set(l.pkg, (p = { name: l.pkg, vars: 0, funcs: 0, v: 0, f: 0, ov: 0, of: 0, p: 0, text: 0 }));
      if (l.kind === 'func') { p.funcs++; p.text += cur(l); } else p.vars++;
      p.v += l.v; p.f += l.f; p.ov += l.ov; p.of += l.of; p.p += Math.max(0, l.p);
    }
    const pkgs = [...pk.values()].sort((a, b) => size(b) - size(a)).slice(0, TOP);
    $('pkgs-title').textContent = 'Largest packages under ' + label(view) + ' (' + pkgs.length + ' of ' + pk.size.toLocaleString() + ')';
    table($('top-pkgs'), [
      { name: 'Package', wide: true, get: (r) => r.name },
      { name: 'Vars', num: true, get: (r) => r.vars },
      { name: 'Funcs', num: true, get: (r) => r.funcs },
      { name: mode === 'vm' ? 'Memory' : 'File', num: true, sort: true, get: (r) => cur(r), show: fmt },
      ...deltaCols(sz),
      { name: 'Text', num: true, get: (r) => r.text, show: fmt },
      { name: 'Ptr words', num: true, get: (r) => r.p, show: (p) => p.toLocaleString() }
    ], pkgs);
  }

  // ---- header, legend, toggle ---------------------------------------------
  function classTotals() {
    const t = {};
    const visit = (n) => {
      if (n.kind === 'class') {
        const c = t[n.name] || (t[n.name] = { vm: 0, file: 0, ptr: 0, old_vm: 0, old_file: 0 });
        c.vm += n.v; c.file += n.f; c.ptr += Math.max(0, n.p); c.old_vm += n.ov; c.old_file += n.of;
      } else if (n.kids && (n.kind === 'root' || n.kind === 'segment' || n.kind === 'section')) n.kids.forEach(visit);
    };
    visit(ROOT);
    return t;
  }
  const CLASS_TOTALS = classTotals();
  function header() {
    $('title').textContent = (DIFF ? 'golayout diff: ' : 'golayout: ') + ROOT.name;
    $('summary').textContent = META.path + ' · ' + fmt(META.file_size) + ' · ' + META.summary;
    if (META.baseline) $('baseline').textContent = 'baseline: ' + META.baseline[0] + ' · ' + META.baseline[1] + ' — red grew, green shrank, grey unchanged; box area is the larger of the two builds';
    (META.notices || []).forEach((m) => { const d = document.createElement('div'); d.textContent = m; $('notices').appendChild(d); });
    const lg = $('legend');
    if (DIFF) {
      [['#d62728', 'grew (or new)'], ['#2ca02c', 'shrank (or removed)'], ['#e6e6e6', 'unchanged']].forEach(([c, t]) => {
        const li = document.createElement('li');
        li.innerHTML = '<i style="background:' + c + '"></i>' + t;
        lg.appendChild(li);
      });
    }
    const used = new Set();
    const visit = (n, d) => { used.add(n.cls || n.tag); if (n.kids && d < 3) n.kids.forEach((c) => visit(c, d + 1)); };
    visit(ROOT, 0);
    for (const k of Object.keys(LABELS)) {
      if (!used.has(k)) continue;
      const li = document.createElement('li');
      const c = CLASS_TOTALS[k];
      if (c && CLASSES.includes(k)) {
        li.dataset.class = k; li.dataset.vm = c.vm; li.dataset.file = c.file; li.dataset.ptr = c.ptr;
        li.title = 'memory ' + c.vm + ' B, file ' + c.file + ' B, pointer words ' + c.ptr;
      }
      if (DIFF && !c) continue;
      const sw = DIFF ? '' : '<i style="background:' + COLORS[k] + '"></i>';
      li.innerHTML = sw + esc(LABELS[k]) + (c ? ' ' + fmt(c.vm) + (DIFF ? ' (' + signed(c.vm - c.old_vm) + ')' : '') : '');
      lg.appendChild(li);
    }
  }
  document.querySelectorAll('input[name=mode]').forEach((r) => r.addEventListener('change', (e) => setMode(e.target.value)));
  function setMode(m) {
    mode = m === 'file' ? 'file' : 'vm';
    $('mode-' + mode).checked = true;
    crumbs(); draw(); tables();
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(draw, 100); });

  // ---- start, and a small API for tests ------------------------------------
  header();
  crumbs();
  draw();
  const firstPaint = performance.now();
  tables();
  function find(path) {
    let n = ROOT;
    for (const name of path) {
      n = (n.kids || []).find((c) => c.name === name);
      if (!n) return null;
    }
    return n;
  }
  window.__golayout = {
    ready: true,
    diff: DIFF,
    firstPaintMs: firstPaint,
    readyMs: performance.now(),
    nodes: leaves.length,
    classes: CLASS_TOTALS,
    get mode() { return mode; },
    setMode,
    search,
    view: () => { const p = []; for (let n = view; n; n = n.parent) p.unshift(n.name); return p; },
    zoom: (path) => { const n = find(path); if (n) zoom(n); return !!n; },
    boxes: () => boxes.map((b) => ({ name: b.n.name, kind: b.n.virtual ? 'group' : b.n.kind, cls: b.n.cls, tag: b.n.tag,
      bytes: cur(b.n), old: old(b.n), depth: b.depth, x: b.x, y: b.y, w: b.w, h: b.h, hl: !!b.hl }))
  };
})();
