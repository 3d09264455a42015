// RuntimeProfiler's live page: wires the samples of the event stream (or of polls) into uPlot charts.
// Every figure comes from the server, already a rate where the chart shows one; this file only keeps the
// recent points, formats units and hands the arrays to uPlot.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);

  // Units: each formats one value for an axis tick or a legend.
  const trim = (v, digits) => {
    const text = v.toFixed(digits);
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  };
  const scaled = (v, steps, base, digits) => {
    if (v == null || !isFinite(v)) return "–";
    let i = 0;
    let n = Math.abs(v);
    while (n >= base && i < steps.length - 1) { n /= base; i++; }
    return (v < 0 ? "-" : "") + trim(n, n < 10 ? digits : n < 100 ? Math.max(0, digits - 1) : 0) + steps[i];
  };
  const units = {
    bytes: (v) => scaled(v, [" B", " KiB", " MiB", " GiB", " TiB"], 1024, 1),
    bytesPerSecond: (v) => scaled(v, [" B/s", " KiB/s", " MiB/s", " GiB/s", " TiB/s"], 1024, 1),
    perSecond: (v) => (v == null ? "–" : scaled(v, ["/s", "k/s", "M/s"], 1000, 1)),
    count: (v) => scaled(v, ["", "k", "M"], 1000, 1),
    percent: (v) => (v == null ? "–" : trim(v * 100, v < 0.01 ? 2 : v < 0.1 ? 1 : 0) + " %"),
    cores: (v) => (v == null ? "–" : trim(v, v < 1 ? 2 : 1)),
    seconds: (v) => {
      if (v == null || !isFinite(v)) return "–";
      if (v === 0) return "0";
      if (v < 1e-3) return trim(v * 1e6, v < 1e-5 ? 1 : 0) + " µs";
      if (v < 1) return trim(v * 1e3, v < 1e-2 ? 2 : 1) + " ms";
      return trim(v, 2) + " s";
    },
  };

  // The palette: one hue per generation wherever generations appear, so gen2 reads the same on every chart.
  const colors = {
    gen0: "#0ea5e9", gen1: "#6366f1", gen2: "#db2777", loh: "#f59e0b", poh: "#10b981",
    primary: "#2563eb", secondary: "#f97316", muted: "#94a3b8", danger: "#dc2626",
  };

  // The charts, in page order. Columns name the values of each frame (see the hello event's "columns").
  const charts = [
    { id: "heap", title: "Heap by generation", note: "after the last GC, stacked", unit: "bytes", stacked: true, headline: "sum",
      series: [["heap.gen0", "gen0", colors.gen0], ["heap.gen1", "gen1", colors.gen1], ["heap.gen2", "gen2", colors.gen2],
        ["heap.loh", "LOH", colors.loh], ["heap.poh", "POH", colors.poh]] },
    { id: "allocation", title: "Allocation rate", note: "bytes allocated per second", unit: "bytesPerSecond", fill: true,
      series: [["alloc.rate", "allocated", colors.primary]] },
    // With every pause captured, the distribution of each interval; without, what every sample has.
    { id: "pauses", title: "GC pauses", note: "per interval, log scale", unit: "seconds", log: true,
      series: [["pause.max", "max", colors.danger], ["pause.p99", "p99", colors.secondary], ["pause.p50", "p50", colors.primary]],
      // Each pause of an interval with few collections, by the generation collected.
      points: [["gen0", colors.gen0], ["gen1", colors.gen1], ["gen2", colors.gen2]],
      fallback: { note: "mean and last of each interval, log scale",
        series: [["pause.mean", "mean", colors.primary], ["pause.last", "last", colors.muted, true]] } },
    { id: "collections", title: "Collections", note: "per second, by generation", unit: "perSecond", stacked: true, headline: "sum",
      series: [["gc.gen0", "gen0", colors.gen0], ["gc.gen1", "gen1", colors.gen1], ["gc.gen2", "gen2", colors.gen2]] },
    { id: "pause-ratio", title: "Time paused by GC", note: "share of wall time", unit: "percent", fill: true,
      series: [["pause.ratio", "paused", colors.gen2]] },
    { id: "cpu", title: "CPU", note: "cores used, stacked", unit: "cores", stacked: true, headline: "sum", suffix: " cores",
      series: [["cpu.user", "user", colors.primary], ["cpu.system", "system", colors.secondary]] },
    { id: "memory", title: "Working set", note: "against the memory limit", unit: "bytes", limit: "memory.limit",
      series: [["memory.working_set", "working set", colors.primary], ["memory.limit", "limit", colors.danger, true]] },
    { id: "thread-pool", title: "Thread pool", note: "threads, and work items queued", unit: "count",
      series: [["threadpool.threads", "threads", colors.primary], ["threadpool.queue", "queued", colors.secondary]] },
    { id: "locks", title: "Lock contentions", note: "per second", unit: "perSecond", fill: true,
      series: [["lock.rate", "contentions", colors.gen1]] },
    { id: "exceptions", title: "Exceptions", note: "thrown per second", unit: "perSecond", fill: true,
      series: [["exception.rate", "thrown", colors.danger]] },
  ];

  const state = { instance: null, columns: {}, capacity: 900, interval: 1, started: null, lastId: "", times: [], values: {}, pauses: [] };

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function alpha(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
  }

  const pad = (n) => String(n).padStart(2, "0");
  const clock = (t, seconds) => {
    const d = new Date(t * 1000);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}` + (seconds ? `:${pad(d.getSeconds())}` : "");
  };

  // Axis labels take the room their longest label needs, no more.
  function axisSize(u, values, axisIdx, cycleNum) {
    const axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    const longest = (values || []).reduce((a, v) => (v.length > a.length ? v : a), "");
    u.ctx.font = axis.font[0];
    return Math.ceil(axis.ticks.size + axis.gap + (longest ? u.ctx.measureText(longest).width / devicePixelRatio : 0));
  }

  function createCard(spec) {
    const card = document.createElement("section");
    card.className = "card";
    card.id = "chart-" + spec.id;
    card.dataset.points = "0";
    const head = document.createElement("header");
    const title = document.createElement("h2");
    title.textContent = spec.title;
    const note = document.createElement("span");
    note.className = "note";
    const latest = document.createElement("span");
    latest.className = "latest";
    latest.textContent = "–";
    head.append(title, note, latest);
    const plot = document.createElement("div");
    plot.className = "plot";
    card.append(head, plot);
    $("charts").append(card);
    const view = { spec, card, plot, note, latest, format: units[spec.unit], chart: null, series: null };
    new ResizeObserver(() => view.chart && view.chart.setSize({ width: plot.clientWidth, height: chartHeight })).observe(plot);
    build(view, spec.series, spec.note);
    return view;
  }

  const chartHeight = 150;

  // Byte axes step in powers of two (64 MiB, 128 MiB, ...), so their labels come out round.
  const binary = [];
  for (let scale = 1; scale <= 1024 ** 4; scale *= 1024) for (let step = 1; step < 1024; step *= 2) binary.push(step * scale);

  function build(view, series, note) {
    const spec = view.spec;
    view.series = series;
    view.note.textContent = note;
    if (view.chart) view.chart.destroy();
    const format = view.format;
    const axis = { stroke: css("--axis"), grid: { stroke: css("--grid"), width: 1 }, ticks: { stroke: css("--grid"), width: 1, size: 4 }, font: "11px system-ui, sans-serif", gap: 4 };
    const y = { ...axis, size: axisSize, values: (u, splits) => splits.map(format) };
    if (spec.log) {
      // A log axis gets a line per decade only.
      const decades = (u, splits) => splits.map((v) => (Math.abs(Math.log10(v) % 1) < 1e-9 ? v : null));
      y.grid = { ...axis.grid, filter: decades };
      y.ticks = { ...axis.ticks, filter: decades };
    }
    if (spec.unit.startsWith("bytes")) y.incrs = binary;
    const options = {
      width: view.plot.clientWidth || 600,
      height: chartHeight,
      cursor: { points: { size: 6 }, drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: spec.log ? { distr: 3 } : { range: (u, min, max) => [Math.min(0, min), top(spec, max)] } },
      axes: [
        { ...axis, size: 24, space: 64, values: (u, splits, i, space, incr) => splits.map((t) => clock(t, incr < 60)) },
        y,
      ],
      series: [{ value: (u, v) => (v == null ? "–" : clock(v, true)) }],
      bands: [],
    };
    series.forEach(([column, label, color, dashed], i) => {
      options.series.push({
        label,
        stroke: color,
        width: 1.5,
        dash: dashed ? [4, 4] : undefined,
        fill: spec.stacked ? alpha(color, 0.35) : spec.fill ? alpha(color, 0.12) : undefined,
        points: { show: false },
        spanGaps: !!(spec.points && series === spec.series),
        // Stacked charts plot running sums; the legend shows each series' own value.
        value: spec.stacked ? (u, v, si, idx) => format(idx == null ? null : raw(column, idx)) : (u, v) => format(v),
      });
      if (spec.stacked && i > 0) options.bands.push({ series: [i + 1, i] });
    });
    if (spec.points && series === spec.series) {
      for (const [label, color] of spec.points) {
        options.series.push({ label, stroke: color, paths: () => null, points: { show: true, size: 4, width: 1, stroke: color, fill: alpha(color, 0.6) }, value: (u, v) => format(v) });
      }
    }
    view.chart = new uPlot(options, [[]], view.plot);
  }

  function raw(column, idx) {
    const values = state.values[column];
    return values ? values[idx] : null;
  }

  function seriesData(spec, series) {
    const columns = series.map(([column]) => state.values[column] || []);
    if (!spec.stacked) return columns.map((values) => (spec.log ? values.map((v) => (v > 0 ? v : null)) : values));
    const sums = [];
    columns.forEach((values, s) => {
      sums.push(values.map((v, i) => (v == null ? (s > 0 ? sums[s - 1][i] : null) : v + (s > 0 ? sums[s - 1][i] || 0 : 0))));
    });
    return sums;
  }

  let views = [];
  let pending = false;

  // The top of a chart: a little above its highest value. A limit far above the values stays off the chart (the
  // legend and the note still give it), so a working set of 200 MB is not a flat line under a 24 GB limit.
  function top(spec, max) {
    if (!(max > 0)) return 1;
    if (!spec.limit) return max * 1.1;
    const limit = latestOf(spec.limit);
    const others = spec.series.filter(([column]) => column !== spec.limit).map(([column]) => Math.max(0, ...(state.values[column] || []).filter((v) => v != null)));
    const highest = Math.max(0, ...others);
    return limit != null && limit <= highest * 2 ? limit * 1.05 : highest * 1.25 || 1;
  }

  function hasData(column) {
    return (state.values[column] || []).some((v) => v != null);
  }

  function render() {
    pending = false;
    const last = state.times.length - 1;
    for (const view of views) {
      const spec = view.spec;
      if (spec.fallback) {
        // The distribution when the server has one, what every sample has otherwise.
        const series = spec.series.some(([column]) => hasData(column)) ? spec.series : spec.fallback.series;
        if (series !== view.series) build(view, series, series === spec.series ? spec.note : spec.fallback.note);
      }
      const data = spec.points && view.series === spec.series ? pauseData(view.series) : [state.times, ...seriesData(spec, view.series)];
      view.chart.setData(data);
      view.card.dataset.points = String(data[0].filter((_, i) => data.some((s, k) => k > 0 && s[i] != null)).length);
      const value = last >= 0 ? headline(view) : null;
      view.latest.textContent = value == null ? "–" : view.format(value) + (spec.suffix || "");
      if (spec.limit) {
        const limit = latestOf(spec.limit), used = latestOf(spec.series[0][0]);
        view.note.textContent = limit && used != null ? `${units.percent(used / limit)} of the ${units.bytes(limit)} limit` : spec.note;
      }
      // Away from the cursor, the legend tells the latest sample.
      if (view.chart.cursor.left < 0 && last >= 0) view.chart.setLegend({ idx: data.lastSample ?? last });
    }

    const uptime = state.started && last >= 0 ? state.times[last] * 1000 - state.started : null;
    $("process-uptime").textContent = uptime == null ? "–" : duration(uptime / 1000);
  }

  // The pause chart's data: samples and single pauses merged on one time axis, each series null where it has nothing.
  function pauseData(series) {
    const times = state.times, pauses = state.pauses;
    const xs = [], lines = series.map(() => []), points = [[], [], []];
    let lastSample = -1;
    for (let i = 0, j = 0; i < times.length || j < pauses.length;) {
      if (j >= pauses.length || (i < times.length && times[i] <= pauses[j][0])) {
        lastSample = xs.length;
        xs.push(times[i]);
        series.forEach(([column], k) => { const v = state.values[column][i]; lines[k].push(v > 0 ? v : null); });
        points.forEach((p) => p.push(null));
        i++;
      } else {
        const [t, pause, generation] = pauses[j++];
        xs.push(t);
        lines.forEach((l) => l.push(null));
        points.forEach((p, g) => p.push(g === generation && pause > 0 ? pause : null));
      }
    }
    const data = [xs, ...lines, ...points];
    data.lastSample = lastSample;
    return data;
  }

  // The figure in a card's corner: the total of a stacked chart, else its first series' latest value.
  function headline(view) {
    if (view.spec.headline !== "sum") return latestOf(view.series[0][0]);
    const values = view.series.map(([column]) => latestOf(column));
    return values.every((v) => v == null) ? null : values.reduce((a, v) => a + (v || 0), 0);
  }

  function latestOf(column) {
    const values = state.values[column] || [];
    for (let i = values.length - 1; i >= 0 && i >= values.length - 5; i--) if (values[i] != null) return values[i];
    return null;
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d > 0) return `${d} d ${h} h`;
    if (h > 0) return `${h} h ${m} min`;
    if (m > 0) return `${m} min ${s % 60} s`;
    return `${s} s`;
  }

  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(render);
    }
  }

  function onHello(hello) {
    if (hello.instance !== state.instance) {
      // Another process, or the same one restarted: its history replaces what the page showed.
      state.instance = hello.instance;
      document.documentElement.dataset.instance = hello.instance;
      state.times = [];
      state.values = {};
      state.pauses = [];
      state.lastId = "";
    }
    state.capacity = hello.capacity;
    state.interval = hello.interval;
    state.started = hello.process.started;
    state.columns = {};
    hello.columns.forEach((column, i) => { state.columns[column] = i; state.values[column] ||= []; });
    const p = hello.process;
    $("process-name").textContent = p.name;
    $("process-pid").textContent = String(p.pid);
    $("process-runtime").textContent = p.runtime || "–";
    $("process-gc").textContent = p.gc || "–";
    $("process-interval").textContent = units.seconds(hello.interval);
    document.title = `${p.name} (${p.pid}) · RuntimeProfiler`;
    schedule();
  }

  function onFrame(id, frame) {
    if (!state.instance) return;
    state.lastId = id;
    state.times.push(frame.t / 1000);
    if (frame.p) {
      for (const [t, pause, generation] of frame.p) state.pauses.push([t / 1000, pause, generation]);
      // uPlot wants its time axis in order; pauses come in the order observed, which clock steps may upset.
      if (state.pauses.some((p, i) => i > 0 && p[0] < state.pauses[i - 1][0])) state.pauses.sort((a, b) => a[0] - b[0]);
    }
    for (const [column, index] of Object.entries(state.columns)) state.values[column].push(frame.v[index]);
    if (state.times.length > state.capacity) {
      state.times.shift();
      for (const column in state.values) state.values[column].shift();
      while (state.pauses.length && state.pauses[0][0] < state.times[0]) state.pauses.shift();
    }
    schedule();
  }

  function setStatus(kind, text) {
    const status = $("status");
    status.className = "status status-" + kind;
    status.textContent = text;
  }

  // The stream first; polling when the browser or the server cannot stream (the server answers 503 when as many
  // pages stream as it allows); either way the page follows a restarted process by itself.
  let source = null;
  let pollTimer = 0;
  let pollFailures = 0;
  let retryStreamAt = 0;

  function stream() {
    if (!window.EventSource) return poll();
    source = new EventSource("events");
    source.addEventListener("hello", (e) => onHello(JSON.parse(e.data)));
    source.onmessage = (e) => onFrame(e.lastEventId, JSON.parse(e.data));
    source.onopen = () => setStatus("live", "live");
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        retryStreamAt = Date.now() + 30000;
        poll();
      } else {
        setStatus("reconnecting", "reconnecting");
      }
    };
  }

  function parseEvents(text) {
    for (const block of text.split("\n\n")) {
      let event = "message", data = "", id = null;
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
        else if (line.startsWith("id: ")) id = line.slice(4);
      }
      if (!data) continue;
      if (event === "hello") onHello(JSON.parse(data));
      else onFrame(id, JSON.parse(data));
    }
  }

  async function poll() {
    clearTimeout(pollTimer);
    let again = Math.max(250, state.interval * 1000);
    try {
      const response = await fetch("updates", { headers: { "Last-Event-ID": state.lastId }, cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const text = await response.text();
      parseEvents(text);
      pollFailures = 0;
      setStatus("polling", "polling");
      if (text.length > 8000) again = 0;
    } catch {
      pollFailures++;
      setStatus("reconnecting", "reconnecting");
      again = Math.min(5000, again * pollFailures);
    }
    if (Date.now() >= retryStreamAt && pollFailures === 0 && window.EventSource) return stream();
    pollTimer = setTimeout(poll, again);
  }

  views = charts.map(createCard);
  stream();
})();
