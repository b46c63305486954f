/** The stylesheet: readable Chinese text, AA contrast, visible focus, one column on a phone. */
export const APP_CSS = `
:root { --fg:#1b1f24; --muted:#4a5360; --bg:#ffffff; --soft:#f3f5f8; --line:#c9d0da; --brand:#0b4f9c; --brand-dark:#083b75;
  --ok:#1e6b35; --ok-bg:#e3f3e8; --warn:#7a4a00; --warn-bg:#fff1d6; --danger:#a4161a; --danger-bg:#fde6e6; --info:#0b4f9c; --info-bg:#e5eefa; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.6;
  font-family: system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
a { color: var(--brand); }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--fg); color: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 0; }
header.site { background: var(--brand); color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 2rem; }
header.site a, header.site .who, header.site button.link { color: #fff; }
.brand { margin: 0; font-weight: 700; font-size: 1.1rem; }
.brand a { text-decoration: none; }
.nav { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: 0; padding: 0; align-items: center; }
.nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.nav-end { margin-left: auto; }
form.inline { display: inline; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 4rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; line-height: 1.3; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: .25rem 0 .5rem; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .95em; }
.muted { color: var(--muted); }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; background: var(--bg); }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; background: var(--soft); }
.panel > h2:first-child { margin-top: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
.facts > div { display: contents; }
.facts dt { color: var(--muted); font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge-info { color: var(--info); background: var(--info-bg); }
.badge-warn { color: var(--warn); background: var(--warn-bg); }
.badge-danger { color: var(--danger); background: var(--danger-bg); }
.badge-ok { color: var(--ok); background: var(--ok-bg); }
.badge-muted { color: var(--muted); background: var(--soft); }
.field { margin: 0 0 1rem; max-width: 40rem; }
.field label { display: block; font-weight: 600; margin-bottom: .25rem; }
.field.checkbox { display: flex; flex-direction: row-reverse; justify-content: flex-end; gap: .5rem; align-items: flex-start; }
.field.checkbox label { font-weight: 400; }
.req { font-weight: 400; color: var(--muted); font-size: .9em; }
.hint { margin: 0 0 .35rem; color: var(--muted); font-size: .92rem; }
input[type=text], input[type=search], input[type=number], input[type=date], select, textarea {
  width: 100%; font: inherit; padding: .45rem .6rem; border: 1px solid #6b7685; border-radius: 4px; background: #fff; color: var(--fg); }
textarea { resize: vertical; }
.has-error input, .has-error textarea, .has-error select { border: 2px solid var(--danger); }
.error { color: var(--danger); font-weight: 600; margin: 0 0 .35rem; }
.error-summary { border: 3px solid var(--danger); padding: .75rem 1rem; margin: 0 0 1.5rem; background: var(--danger-bg); }
.error-summary a { color: var(--danger); }
button, .button { font: inherit; font-weight: 600; background: var(--brand); color: #fff; border: 0; border-radius: 4px; padding: .5rem 1.1rem; cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .button:hover { background: var(--brand-dark); color: #fff; }
button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
button.danger { background: var(--danger); }
button.link { background: none; border: 0; padding: 0; text-decoration: underline; font-weight: 400; }
button[disabled] { opacity: .6; cursor: progress; }
.search { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; }
.search .field { flex: 1 1 20rem; margin: 0; }
.notice { border-left: 5px solid var(--ok); background: var(--ok-bg); padding: .5rem 1rem; margin: 1rem 0; }
.notice.warn { border-color: var(--warn); background: var(--warn-bg); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
.table-wrap { overflow-x: auto; }
.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
.timeline li { padding: 0 0 .75rem 1rem; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -8px; top: .5rem; width: 13px; height: 13px; border-radius: 50%; background: var(--brand); }
.timeline time { color: var(--muted); font-size: .9rem; display: block; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0 1rem; }
details.form { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; margin: .75rem 0; }
details.form > summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.uploads { list-style: none; padding: 0; margin: .25rem 0 1rem; }
.uploads li { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.uploads progress { width: 12rem; height: 1rem; }
.chart { max-width: 100%; height: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1.5rem; }
details.form > summary > .summary-heading { display: inline; font-size: 1.05rem; margin: 0; }
.evidence-list { list-style: none; padding: 0; margin: .5rem 0 1rem; }
.evidence-list > li { border-top: 1px solid var(--line); padding: .75rem 0 0; }
.evidence-view img { max-width: 100%; border: 1px solid var(--line); }
.evidence-view iframe { width: 100%; height: 32rem; border: 1px solid var(--line); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) {
  main { padding: .75rem .75rem 3rem; }
  h1 { font-size: 1.35rem; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: .35rem; }
  .nav-end { margin-left: 0; }
  .cards, .charts { grid-template-columns: 1fr; }
  table.stack thead { position: absolute; left: -9999px; }
  table.stack tr { display: block; border-bottom: 2px solid var(--line); padding: .5rem 0; }
  table.stack td { display: block; border: 0; padding: .15rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) "："; font-weight: 600; color: var(--muted); }
}
.chart-panel { min-width: 0; }
.chart-panel h2 { margin-top: .5rem; font-size: 1.1rem; }
.chart-panel .chart { display: block; }
`;
