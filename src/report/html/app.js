// keygate's HTML viewer. Reads the report embedded in the page's keygate-data script block (columnar JSON written by
// src/report/html.cpp) and draws totals, a timeline, a virtualised incident list and a detail pane.
// Every piece of report data reaches the page through textContent or createElement*/setAttribute of
// fixed attribute names: never innerHTML, never a URL built from data.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const D = JSON.parse($('keygate-data').textContent);
  const S = D.s, I = D.inc, P = D.pl;
  const nInc = I.id.length;
  const ROW = 28;
  const CONF = { h: 'high', m: 'medium', l: 'low' };
  const CONF_RANK = { h: 0, m: 1, l: 2 };
  const VER = { l: 'live', d: 'dead', u: 'unknown', '-': '' };
  const MARKS = { f: 'false_positive', a: 'accepted', r: 'revoked' };
  const MARK_LABEL = { false_positive: 'false positive', accepted: 'accepted risk', revoked: 'revoked' };

  // Control characters, bidirectional overrides and isolates would reorder or hide what a reader sees:
  // they are shown as visible escapes instead.
  const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;
  const show = (s) => String(s).replace(HIDDEN, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = show(text);
    return e;
  }
  const str = (k) => (k >= 0 ? S[k] : '');

  // ---- derived columns ----
  const pStart = new Int32Array(nInc + 1);
  for (let i = 0; i < nInc; i++) pStart[i + 1] = pStart[i] + I.np[i];
  const firstDate = new Float64Array(nInc), lastDate = new Float64Array(nInc);
  for (let i = 0; i < nInc; i++) {
    let lo = 0, hi = 0;
    for (let p = pStart[i]; p < pStart[i + 1]; p++) {
      const d = P.date[p];
      if (d > 0 && (lo === 0 || d < lo)) lo = d;
      if (d > hi) hi = d;
    }
    firstDate[i] = lo;
    lastDate[i] = hi;
  }
  // Day, month (year * 12 + month) and year of each incident's introduction, for the timeline: computed
  // once, with integer arithmetic (days to civil date, proleptic Gregorian), not a Date per redraw.
  const firstDay = new Int32Array(nInc), firstMonth = new Int32Array(nInc), firstYear = new Int32Array(nInc);
  for (let i = 0; i < nInc; i++) {
    if (!firstDate[i]) continue;
    const z = Math.floor(firstDate[i] / 86400) + 719468;
    const era = Math.floor(z / 146097), doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153), month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    firstDay[i] = z - 719468;
    firstMonth[i] = year * 12 + month - 1;
    firstYear[i] = year;
  }
  const fingerprintOf = (i, p) => {
    const f = P.fp[p];
    return f.indexOf(':') >= 0 ? f : str(I.rule[i]) + ':' + str(P.path[p]) + ':' + f;
  };
  const placeRepo = (p) => str(P.repo[p]);
  const repoNames = D.repos ? D.repos.name.map((k) => S[k]) : [];
  const audit = repoNames.length > 1 || D.kind === 'audit' || D.kind === 'merge';

  // ---- triage marks: from the report, then from this browser's earlier session of the same report ----
  const marks = new Map();  // incident index -> {mark, note}
  for (let i = 0; i < nInc; i++) {
    const m = MARKS[I.tri[i]];
    if (m) marks.set(i, { mark: m, note: '' });
  }
  const storeKey = 'keygate-triage:' + D.generated + ':' + nInc + ':' + (nInc ? I.id[0] : '');
  let byId = null;  // id -> incident index, made when a triage file is first applied
  function applyMarks(list) {
    if (!byId) {
      byId = new Map();
      for (let i = 0; i < nInc; i++) byId.set(I.id[i], i);
    }
    for (const m of list || []) {
      if (!m || typeof m.id !== 'string') continue;
      const i = byId.get(m.id);
      if (i === undefined) continue;
      if (MARK_LABEL[m.mark]) marks.set(i, { mark: m.mark, note: typeof m.note === 'string' ? m.note : '' });
      else marks.delete(i);
    }
  }
  try {
    const saved = window.localStorage && localStorage.getItem(storeKey);
    if (saved) applyMarks(JSON.parse(saved));
  } catch (e) { /* storage off (file: origins in some browsers): marks last as long as the page */ }
  function saveMarks() {
    try { localStorage.setItem(storeKey, JSON.stringify(triageMarks())); } catch (e) { /* see above */ }
  }

  // ---- filters ----
  let lower = null, ctxLower = null;  // lower-case strings, made at the first search
  const state = { list: new Int32Array(0), rowsInc: [], rowsPlace: [], expandAll: false, expanded: new Set(), sel: -1 };

  function fillSelect(select, counts) {
    const order = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (S[a] < S[b] ? -1 : 1));
    for (const k of order) {
      const o = document.createElement('option');
      o.value = String(k);
      o.textContent = show(S[k]) + ' (' + counts.get(k) + ')';
      select.appendChild(o);
    }
  }
  {
    const rules = new Map(), repos = new Map();
    for (let i = 0; i < nInc; i++) rules.set(I.rule[i], (rules.get(I.rule[i]) || 0) + 1);
    for (let p = 0; p < P.repo.length; p++) if (P.repo[p] >= 0) repos.set(P.repo[p], (repos.get(P.repo[p]) || 0) + 1);
    fillSelect($('f-rule'), rules);
    fillSelect($('f-repo'), repos);
    if (repos.size === 0) $('f-repo').disabled = true;
  }

  function matcher(q) {
    if (!q) return null;
    if (!lower) lower = S.map((s) => s.toLowerCase());
    const m = new Uint8Array(S.length);
    for (let k = 0; k < S.length; k++) if (lower[k].includes(q)) m[k] = 1;
    return m;
  }

  function filter() {
    const t0 = performance.now();
    const q = $('f-search').value.trim().toLowerCase();
    const pathQ = $('f-path').value.trim().toLowerCase();
    const rule = $('f-rule').value === '' ? -1 : +$('f-rule').value;
    const repo = $('f-repo').value === '' ? -1 : +$('f-repo').value;
    const confOk = { h: $('f-conf-high').checked, m: $('f-conf-medium').checked, l: $('f-conf-low').checked };
    const verOk = { l: $('f-ver-live').checked, d: $('f-ver-dead').checked, u: $('f-ver-unknown').checked, '-': true };
    // A report without verification has only '-': the status boxes then filter nothing.
    if (!verOk.l || !verOk.d || !verOk.u) verOk['-'] = verOk.u;
    const tri = $('f-triage').value;
    const sm = matcher(q), pm = matcher(pathQ);
    if (q && !ctxLower) ctxLower = P.ctx.map((s) => s.toLowerCase());
    const out = [];
    for (let i = 0; i < nInc; i++) {
      if (!confOk[I.conf[i]] || !verOk[I.ver[i]]) continue;
      if (rule >= 0 && I.rule[i] !== rule) continue;
      if (tri) {
        const m = marks.get(i);
        if (tri === 'open' ? m : tri === 'marked' ? !m : !m || m.mark !== tri) continue;
      }
      let hit = !sm || sm[I.rule[i]] || sm[I.red[i]] || sm[I.desc[i]] || I.id[i].startsWith(q);
      let placeOk = repo < 0 && !pm;
      for (let p = pStart[i]; p < pStart[i + 1] && !(hit && placeOk); p++) {
        const here = (repo < 0 || P.repo[p] === repo) && (!pm || pm[P.path[p]]);
        if (!here) continue;
        placeOk = true;
        if (!hit) hit = sm[P.path[p]] || sm[P.author[p]] || sm[P.commit[p]] || sm[P.repo[p]] || ctxLower[p].includes(q);
      }
      if (hit && placeOk) out.push(i);
    }
    state.list = sortList(out);
    layout();
    summarize();
    window.keygateLastFilterMs = performance.now() - t0;
  }

  function sortList(list) {
    const how = $('f-sort').value;
    const byDate = (a, b) => firstDate[b] - firstDate[a] || a - b;
    const cmpStr = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
    const cmp = {
      first: byDate,
      'first-asc': (a, b) => (firstDate[a] || Infinity) - (firstDate[b] || Infinity) || a - b,
      rule: (a, b) => cmpStr(S[I.rule[a]], S[I.rule[b]]) || byDate(a, b),
      confidence: (a, b) => CONF_RANK[I.conf[a]] - CONF_RANK[I.conf[b]] || byDate(a, b),
      places: (a, b) => I.np[b] - I.np[a] || byDate(a, b),
      repository: (a, b) => cmpStr(placeRepo(pStart[a]), placeRepo(pStart[b])) || byDate(a, b),
      path: (a, b) => cmpStr(str(P.path[pStart[a]]), str(P.path[pStart[b]])) || byDate(a, b),
    }[how] || byDate;
    return Int32Array.from(list.sort(cmp));
  }

  // ---- the virtualised list: one row per incident, its places underneath when expanded ----
  function layout() {
    const ri = [], rp = [];
    for (const i of state.list) {
      ri.push(i), rp.push(-1);
      if (state.expandAll || state.expanded.has(i)) {
        for (let p = pStart[i]; p < pStart[i + 1]; p++) ri.push(i), rp.push(p);
      }
    }
    state.rowsInc = ri;
    state.rowsPlace = rp;
    $('spacer').style.height = ri.length * ROW + 'px';
    const places = state.list.reduce((n, i) => n + I.np[i], 0);
    $('count').textContent = state.list.length + ' of ' + nInc + ' incidents, ' + places + ' places';
    $('count').dataset.incidents = String(state.list.length);
    $('count').dataset.places = String(places);
    draw();
  }

  function fmtDate(t) {
    return t > 0 ? new Date(t * 1000).toISOString().slice(0, 10) : '';
  }
  function tag(cls, text) {
    const t = el('span', 'tag ' + (cls || 'none'), text);
    return t;
  }
  function where(p) {
    const repo = placeRepo(p), path = str(P.path[p]);
    return (repo ? repo + ': ' : '') + (path || '(message)') + (P.line[p] ? ':' + P.line[p] : '');
  }

  function draw() {
    const list = $('list'), spacer = $('spacer');
    const top = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
    const end = Math.min(state.rowsInc.length, top + Math.ceil((list.clientHeight || 600) / ROW) + 10);
    spacer.replaceChildren();
    for (let r = top; r < end; r++) {
      const i = state.rowsInc[r], p = state.rowsPlace[r];
      const row = el('div', 'row');
      row.style.transform = 'translateY(' + r * ROW + 'px)';
      row.dataset.incident = String(i);
      const m = marks.get(i);
      if (m) row.classList.add('marked');
      if (i === state.sel && p < 0) row.classList.add('sel');
      if (p < 0) {
        const c = CONF[I.conf[i]], v = VER[I.ver[i]];
        const a = el('span', 'c-conf'); a.appendChild(tag(c, c)); row.appendChild(a);
        const b = el('span', 'c-ver'); b.appendChild(tag(v || 'none', v || '\u2014')); row.appendChild(b);
        row.appendChild(el('span', 'c-rule', str(I.rule[i])));
        row.appendChild(el('span', 'c-secret mono', str(I.red[i])));
        const w = el('span', 'c-where', where(pStart[i]) + (I.np[i] > 1 ? ' \u2026' : ''));
        w.title = show(where(pStart[i]));
        row.appendChild(w);
        row.appendChild(el('span', 'c-date', fmtDate(firstDate[i])));
        row.appendChild(el('span', 'c-n', String(I.np[i])));
        row.appendChild(el('span', 'c-tri', m ? MARK_LABEL[m.mark] : ''));
      } else {
        row.classList.add('place');
        row.dataset.place = String(p);
        const c = str(P.commit[p]);
        row.appendChild(el('span', 'mono', c.slice(0, 8)));
        const w = el('span', '', where(p) + (str(P.author[p]) ? ' \u2014 ' + str(P.author[p]) : ''));
        w.title = show(where(p));
        row.appendChild(w);
        row.appendChild(el('span', '', fmtDate(P.date[p])));
        row.appendChild(el('span', '', P.col[p] ? 'col ' + P.col[p] : ''));
        row.appendChild(el('span', '', ''));
      }
      spacer.appendChild(row);
    }
  }
  $('list').addEventListener('scroll', () => requestAnimationFrame(draw), { passive: true });
  window.addEventListener('resize', () => requestAnimationFrame(draw));
  $('list').addEventListener('click', (ev) => {
    const row = ev.target.closest('.row');
    if (!row || !row.dataset.incident) return;
    const i = +row.dataset.incident;
    if (!row.dataset.place) {
      if (state.sel === i) {
        if (state.expanded.has(i)) state.expanded.delete(i); else state.expanded.add(i);
      }
      state.sel = i;
      layout();
    }
    detail(i, row.dataset.place ? +row.dataset.place : -1);
  });
  $('list').addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    const at = state.list.indexOf(state.sel);
    const next = state.list[Math.max(0, Math.min(state.list.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)))];
    if (next === undefined) return;
    state.sel = next;
    const r = state.rowsInc.indexOf(next);
    const list = $('list');
    if (r * ROW < list.scrollTop || (r + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = r * ROW - 2 * ROW;
    draw();
    detail(next, -1);
  });

  // ---- detail pane ----
  function dl(pairs) {
    const d = el('dl');
    for (const [k, v, cls] of pairs) {
      if (v === '' || v === undefined) continue;
      d.appendChild(el('dt', '', k));
      d.appendChild(el('dd', cls || '', v));
    }
    return d;
  }
  function detail(i, focusPlace) {
    const pane = $('detail');
    pane.replaceChildren();
    pane.dataset.incident = String(i);
    pane.appendChild(el('h2', '', str(I.rule[i])));
    if (I.desc[i] >= 0) pane.appendChild(el('p', 'hint', str(I.desc[i])));
    pane.appendChild(dl([
      ['secret', str(I.red[i]), 'mono'],
      ['confidence', CONF[I.conf[i]]],
      ['verification', VER[I.ver[i]] || 'not verified'],
      ['identity', str(I.ident[i])],
      ['first seen', fmtDate(firstDate[i])],
      ['last seen', fmtDate(lastDate[i])],
      ['places', String(I.np[i])],
      ['incident id', I.id[i], 'mono'],
    ]));
    if (I.adv[i] >= 0) pane.appendChild(el('div', 'advice', str(I.adv[i])));
    // Triage.
    const t = el('div', 'triage');
    t.appendChild(el('b', '', 'Triage: '));
    const current = marks.get(i);
    for (const mark of ['false_positive', 'accepted', 'revoked']) {
      const b = el('button', current && current.mark === mark ? 'on' : '', MARK_LABEL[mark]);
      b.type = 'button';
      b.dataset.mark = mark;
      b.addEventListener('click', () => {
        const now = marks.get(i);
        if (now && now.mark === mark) marks.delete(i); else marks.set(i, { mark, note: note.value });
        saveMarks();
        updateMarked();
        detail(i, -1);
        draw();
      });
      t.appendChild(b);
    }
    const note = el('input');
    note.type = 'text';
    note.placeholder = 'note';
    note.value = current ? current.note : '';
    note.addEventListener('change', () => {
      const now = marks.get(i);
      if (now) { now.note = note.value; saveMarks(); }
    });
    t.appendChild(note);
    pane.appendChild(t);
    // Places.
    let focus = null;
    for (let p = pStart[i]; p < pStart[i + 1]; p++) {
      const box = el('div', 'place');
      box.dataset.place = String(p);
      box.appendChild(dl([
        ['repository', placeRepo(p)],
        ['commit', str(P.commit[p]), 'mono'],
        ['path', str(P.path[p]) || '(commit message)'],
        ['line', P.line[p] ? P.line[p] + (P.col[p] ? ', column ' + P.col[p] : '') : ''],
        ['date', P.date[p] > 0 ? new Date(P.date[p] * 1000).toISOString().replace('.000Z', 'Z') : ''],
        ['author', str(P.author[p])],
        ['fingerprint', fingerprintOf(i, p), 'mono'],
      ]));
      if (P.ctx[p]) box.appendChild(el('pre', '', P.ctx[p]));
      pane.appendChild(box);
      if (p === focusPlace) focus = box;
    }
    if (focus) focus.scrollIntoView({ block: 'nearest' });
  }

  // ---- totals, bars and the timeline (of the filtered incidents) ----
  function bars(target, entries, onPick) {
    const box = $(target);
    box.replaceChildren();
    const max = entries.reduce((m, e) => Math.max(m, e[1]), 1);
    for (const [label, n, key, cls] of entries.slice(0, 60)) {
      const b = el('div', 'bar');
      const l = el('span', 'lbl');
      const fill = el('span', 'fill ' + (cls || ''));
      fill.style.width = (100 * n / max).toFixed(1) + '%';
      l.appendChild(fill);
      l.appendChild(el('span', 'txt', label));
      l.title = show(label);
      b.appendChild(l);
      b.appendChild(el('span', 'num', String(n)));
      if (onPick) b.addEventListener('click', () => onPick(key));
      box.appendChild(b);
    }
    if (entries.length === 0) box.appendChild(el('span', 'hint', 'none'));
  }
  function card(label, n, cls) {
    const c = el('div', 'card ' + (cls || ''));
    c.appendChild(el('b', '', String(n)));
    c.appendChild(el('span', '', label));
    c.dataset.card = label;
    return c;
  }
  function pick(select, value) {
    $(select).value = String(value);
    filter();
  }
  function onlyBox(prefix, names, keep) {
    for (const n of names) $(prefix + n).checked = n === keep;
    filter();
  }
  function summarize() {
    const byRule = new Map(), byConf = { h: 0, m: 0, l: 0 }, byVer = { l: 0, d: 0, u: 0, '-': 0 };
    const byRepo = new Map(), seenRepo = new Int32Array(S.length).fill(-1);
    let places = 0;
    for (const i of state.list) {
      byRule.set(I.rule[i], (byRule.get(I.rule[i]) || 0) + 1);
      byConf[I.conf[i]]++;
      byVer[I.ver[i]]++;
      places += I.np[i];
      for (let p = pStart[i]; p < pStart[i + 1]; p++) {
        const r = P.repo[p];
        if (r >= 0 && seenRepo[r] !== i) seenRepo[r] = i, byRepo.set(r, (byRepo.get(r) || 0) + 1);
      }
    }
    const cards = $('cards');
    cards.replaceChildren(
      card('incidents (secrets)', state.list.length),
      card('places', places),
      card('live keys', byVer.l, byVer.l ? 'alert' : ''),
      card('high confidence', byConf.h));
    if (audit || byRepo.size) {
      cards.appendChild(card(audit ? 'repositories with secrets' : 'repositories',
        audit ? byRepo.size + ' / ' + repoNames.length : byRepo.size));
    }
    const sortDesc = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    bars('by-rule', sortDesc(byRule).map(([k, n]) => [S[k], n, k]), (k) => pick('f-rule', k));
    bars('by-confidence', ['h', 'm', 'l'].map((c) => [CONF[c], byConf[c], c, c]),
      (c) => onlyBox('f-conf-', ['high', 'medium', 'low'], CONF[c]));
    bars('by-verification', ['l', 'd', 'u', '-'].filter((v) => v !== '-' || byVer['-']).map((v) => [VER[v] || 'not verified', byVer[v], v, VER[v]]),
      (v) => v !== '-' && onlyBox('f-ver-', ['live', 'dead', 'unknown'], VER[v]));
    bars('by-repository', sortDesc(byRepo).map(([k, n]) => [S[k], n, k]), (k) => pick('f-repo', k));
    // A scan or a history of one repository has no repository names: no chart for them.
    $('by-repository').parentElement.hidden = !audit && P.repo.every((r) => r < 0);
    timeline();
  }

  function timeline() {
    const box = $('timeline');
    box.replaceChildren();
    let lo = Infinity, hi = 0;
    for (const i of state.list) if (firstDate[i] > 0) lo = Math.min(lo, firstDate[i]), hi = Math.max(hi, firstDate[i]);
    if (hi === 0) {
      box.appendChild(el('p', 'hint', 'No commit dates: the timeline needs a history scan or an audit.'));
      return;
    }
    const day = 86400, span = (hi - lo) / day;
    const unit = span <= 120 ? 'day' : span <= 3650 ? 'month' : 'year';
    const buckets = unit === 'day' ? firstDay : unit === 'month' ? firstMonth : firstYear;
    const bucketOf = (t) => {
      const d = new Date(t * 1000);
      return unit === 'day' ? Math.floor(t / day) : unit === 'month' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear();
    };
    const label = (b) => unit === 'day' ? new Date(b * day * 1000).toISOString().slice(0, 10)
      : unit === 'month' ? Math.floor(b / 12) + '-' + String(b % 12 + 1).padStart(2, '0') : String(b);
    const b0 = bucketOf(lo), b1 = bucketOf(hi), n = b1 - b0 + 1;
    const counts = new Int32Array(n);
    for (const i of state.list) if (firstDate[i] > 0) counts[buckets[i] - b0]++;
    const max = Math.max(1, ...counts);
    const NS = 'http://www.w3.org/2000/svg', W = 1000, H = 90, base = 74;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    const w = W / n;
    for (let b = 0; b < n; b++) {
      if (!counts[b]) continue;
      const h = Math.max(1.5, (base - 4) * counts[b] / max);
      const r = document.createElementNS(NS, 'rect');
      r.setAttribute('class', 'b');
      r.setAttribute('x', (b * w + (w > 3 ? 0.5 : 0)).toFixed(2));
      r.setAttribute('width', Math.max(0.8, w - (w > 3 ? 1 : 0)).toFixed(2));
      r.setAttribute('y', (base - h).toFixed(2));
      r.setAttribute('height', h.toFixed(2));
      const t = document.createElementNS(NS, 'title');
      t.textContent = label(b0 + b) + ': ' + counts[b] + ' introduced';
      r.appendChild(t);
      svg.appendChild(r);
    }
    const ticks = Math.min(n, 8);
    for (let k = 0; k < ticks; k++) {
      const b = Math.round(k * (n - 1) / Math.max(1, ticks - 1));
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', Math.min(W - 60, b * w).toFixed(1));
      t.setAttribute('y', String(H - 2));
      t.textContent = label(b0 + b);
      svg.appendChild(t);
    }
    box.appendChild(svg);
  }

  // ---- exports: what the CLI reads back ----
  function triageMarks() {
    const out = [];
    for (const [i, m] of marks) {
      const fingerprints = [];
      for (let p = pStart[i]; p < pStart[i + 1]; p++) fingerprints.push(fingerprintOf(i, p));
      out.push({ id: I.id[i], fingerprints: [...new Set(fingerprints)], mark: m.mark, note: m.note });
    }
    return out;
  }
  // A comment line of the ignore file must stay one line: a path may hold any byte but NUL and '/'.
  const oneLine = (s) => String(s).replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?');
  function ignoreFile() {
    const lines = ['# keygate ignore file: fingerprints of the findings triaged in the HTML viewer (' +
      oneLine(D.tool) + ', report of ' + oneLine(D.generated) + ').', '# Add it to .keygateignore at the root of the scanned tree.'];
    const seen = new Set();
    for (const [i, m] of marks) {
      for (let p = pStart[i]; p < pStart[i + 1]; p++) {
        const f = fingerprintOf(i, p);
        if (seen.has(f)) continue;
        seen.add(f);
        lines.push('# ' + m.mark + ': ' + oneLine(str(I.rule[i])) + ' at ' + oneLine(where(p)) + (m.note ? ' -- ' + oneLine(m.note) : ''));
        lines.push(f);
      }
    }
    return lines.join('\n') + '\n';
  }
  function baseline() {
    const out = [];
    for (const [i, m] of marks) {
      for (let p = pStart[i]; p < pStart[i + 1]; p++) {
        out.push({ rule: str(I.rule[i]), file: str(P.path[p]), line: P.line[p], column: P.col[p],
          secret: str(I.red[i]), fingerprint: fingerprintOf(i, p), triage: m.mark });
      }
    }
    return JSON.stringify(out, null, 1) + '\n';
  }
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  function updateMarked() {
    $('marked-count').textContent = marks.size + ' marked';
    for (const id of ['dl-ignore', 'dl-baseline', 'dl-triage']) $(id).disabled = marks.size === 0;
  }
  $('dl-ignore').addEventListener('click', () => download('keygateignore.txt', 'text/plain', ignoreFile()));
  $('dl-baseline').addEventListener('click', () => download('keygate-baseline.json', 'application/json', baseline()));
  $('dl-triage').addEventListener('click', () => download('keygate-triage.json', 'application/json',
    JSON.stringify({ schema: 'keygate-triage/1', marks: triageMarks() }, null, 1) + '\n'));
  $('ld-triage').addEventListener('change', (ev) => {
    const file = ev.target.files && ev.target.files[0];
    if (!file) return;
    file.text().then((text) => {
      const t = JSON.parse(text);
      if (!t || t.schema !== 'keygate-triage/1') throw new Error('not a keygate triage file');
      applyMarks(t.marks);
      saveMarks();
      updateMarked();
      filter();
    }).catch((e) => { $('marked-count').textContent = 'triage file not loaded: ' + e.message; });
  });

  // ---- start ----
  {
    $('kind').textContent = show({ scan: 'scan', history: 'history', audit: 'audit', merge: 'merged report' }[D.kind] || 'report');
    const bits = [D.tool, D.generated ? 'generated ' + D.generated : ''];
    if (repoNames.length && (D.kind === 'audit' || D.kind === 'merge')) bits.push(repoNames.length + ' repositor' + (repoNames.length === 1 ? 'y' : 'ies'));
    $('meta').textContent = show(bits.filter(Boolean).join(' \u00b7 '));
    if (D.repos) {
      const bad = [];
      for (let r = 0; r < repoNames.length; r++) {
        const status = S[D.repos.status[r]];
        if (status && status !== 'ok') bad.push(repoNames[r] + ': ' + status + (D.repos.error[r] >= 0 ? ' (' + S[D.repos.error[r]] + ')' : ''));
      }
      if (bad.length) {
        $('failed').appendChild(el('b', '', 'Not fully scanned (the counts above miss what these hold): '));
        $('failed').appendChild(el('span', '', bad.slice(0, 50).join('; ') + (bad.length > 50 ? '; \u2026' : '')));
      }
    }
    for (const id of ['f-search', 'f-path']) $(id).addEventListener('input', filter);
    for (const id of ['f-rule', 'f-repo', 'f-triage', 'f-sort', 'f-conf-high', 'f-conf-medium', 'f-conf-low',
      'f-ver-live', 'f-ver-dead', 'f-ver-unknown']) $(id).addEventListener('change', filter);
    $('expand').addEventListener('click', () => {
      state.expandAll = !state.expandAll;
      $('expand').textContent = state.expandAll ? 'Collapse all' : 'Expand all';
      layout();
    });
    updateMarked();
    filter();
    if (state.list.length) {
      state.sel = state.list[0];
      draw();
      detail(state.sel, -1);
    }
    document.documentElement.dataset.ready = '1';
    // For bench/html.py: when the page was ready, and when its first frame after that was drawn.
    window.keygateReadyMs = performance.now();
    requestAnimationFrame(() => setTimeout(() => { window.keygateFirstFrameMs = performance.now(); }));
  }
})();
