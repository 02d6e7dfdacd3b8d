/**
 * The dashboard's CSS. A table on wide screens; below 760 px each row becomes a card whose cells
 * are labelled from `data-label`. Long names, branches and URLs wrap anywhere so nothing ever
 * overflows a phone screen sideways.
 */
export const PAGE_STYLE = `
:root { --bg:#f5f6f8; --panel:#fff; --ink:#1d2330; --dim:#667085; --line:#e4e7ec; --accent:#2f6fdf; --danger:#c4322b; --ok:#1e8e4e; --warn:#9a6400; }
* { box-sizing: border-box; }
[hidden] { display:none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
code, pre, input { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
code { font-size:12.5px; }
.top { display:flex; align-items:center; justify-content:space-between; gap:12px; padding:12px 20px; background:#1d2330; color:#fff; }
.brand { font-weight:700; font-size:17px; letter-spacing:.2px; }
.brand .sub { font-weight:400; opacity:.7; margin-left:4px; }
.who { display:flex; align-items:center; gap:8px; min-width:0; }
.me { opacity:.85; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.pill { border-radius:999px; padding:2px 8px; font-size:12px; }
.pill.local { background:#f7c948; color:#3d2e00; font-weight:600; }
main { max-width:1240px; margin:0 auto; padding:16px; display:flex; flex-direction:column; gap:16px; }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:16px; min-width:0; }
h2 { font-size:15px; margin:0 0 10px; }
h3 { font-size:13px; margin:16px 0 6px; color:var(--dim); text-transform:uppercase; letter-spacing:.4px; }
.banner { background:#fff8e6; border:1px solid #f3d58a; border-left:4px solid #e0a800; border-radius:10px; padding:12px 16px; color:#4a3b0b; }
.banner ul { margin:6px 0 0; padding-left:20px; }
.toolbar { display:flex; align-items:center; justify-content:space-between; gap:12px; margin-bottom:12px; flex-wrap:wrap; }
.filters { display:inline-flex; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
.seg { border:0; background:#fff; padding:6px 12px; font:inherit; cursor:pointer; color:var(--ink); }
.seg + .seg { border-left:1px solid var(--line); }
.seg[aria-pressed="true"] { background:var(--ink); color:#fff; }
.seg .count { display:inline-block; min-width:18px; padding:0 5px; border-radius:9px; background:rgba(0,0,0,.08); font-size:12px; text-align:center; }
.seg[aria-pressed="true"] .count { background:rgba(255,255,255,.2); }
.live { font-size:12px; color:var(--dim); }
.live::before { content:""; display:inline-block; width:8px; height:8px; border-radius:50%; background:#bbb; margin-right:6px; vertical-align:middle; }
.live.on::before { background:var(--ok); }
.live.off::before { background:var(--danger); }
table.envs { width:100%; border-collapse:collapse; }
.envs th { text-align:left; font-size:12px; font-weight:600; color:var(--dim); padding:6px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
.envs td { padding:10px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
.envs td.wrap { overflow-wrap:anywhere; }
.envs td.name { overflow-wrap:anywhere; }
.envs tr:last-child td { border-bottom:0; }
.envs td.name { font-weight:600; }
.envs td[data-label="Branch"] code { background:#f2f4f7; padding:1px 5px; border-radius:4px; }
.note { display:block; color:var(--dim); font-size:12px; margin-top:3px; }
.note.emu { color:var(--warn); }
.dim { color:var(--dim); }
.nowrap { white-space:nowrap; }
.badge { display:inline-block; border-radius:999px; padding:1px 9px; font-size:12px; font-weight:600; background:#eef1f5; color:#344054; white-space:nowrap; }
.badge.s-ready { background:#dcf5e6; color:#11663a; }
.badge.s-failed { background:#fde4e2; color:#a3241d; }
.badge.s-stopped { background:#eceef2; color:#475467; }
.badge.busy { background:#e3ecfd; color:#1f4fb0; }
.badge.busy::after { content:""; display:inline-block; width:6px; height:6px; margin-left:6px; border-radius:50%; background:currentColor; vertical-align:middle; animation:pulse 1s ease-in-out infinite alternate; }
@keyframes pulse { from { opacity:.25; } to { opacity:1; } }
.actions { white-space:nowrap; }
.btn { display:inline-block; font:inherit; font-size:13px; line-height:1.2; padding:6px 11px; margin:0 4px 4px 0; border-radius:7px; border:1px solid #cfd4dc; background:#fff; color:var(--ink); cursor:pointer; text-decoration:none; }
.btn:hover { border-color:#98a2b3; }
.btn.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
.btn.danger { color:var(--danger); border-color:#eab3af; }
.btn.danger.solid { background:var(--danger); border-color:var(--danger); color:#fff; }
.btn.disabled { opacity:.45; cursor:not-allowed; }
.btn:disabled { opacity:.6; cursor:progress; }
.empty { color:var(--dim); margin:8px 0; }
.grid { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); gap:16px; }
#cmd { display:flex; gap:8px; }
#cmd input { flex:1; min-width:0; font-size:14px; padding:7px 10px; border:1px solid #cfd4dc; border-radius:7px; }
#cmd .btn { margin:0; }
.hint { color:var(--dim); font-size:12.5px; margin:8px 0 0; }
.out { background:#f2f4f7; border-radius:7px; padding:10px; margin:10px 0 0; white-space:pre-wrap; overflow-wrap:anywhere; font-size:12.5px; max-height:260px; overflow:auto; }
.out[data-kind="refused"], .out[data-kind="error"] { background:#fdf0ef; color:#7a1f19; }
.activity { list-style:none; margin:0; padding:0; font-size:13px; max-height:220px; overflow:auto; }
.activity li { padding:4px 0; border-bottom:1px dashed var(--line); overflow-wrap:anywhere; }
.activity time { color:var(--dim); font-size:12px; margin-right:6px; }
.chart { display:block; width:100%; height:auto; max-width:640px; }
dialog { border:0; border-radius:12px; padding:20px; max-width:min(440px, calc(100vw - 32px)); box-shadow:0 12px 40px rgba(16,24,40,.25); }
dialog::backdrop { background:rgba(16,24,40,.45); }
dialog h2 { margin-top:0; }
dialog input { font-size:14px; padding:5px 8px; border:1px solid #cfd4dc; border-radius:6px; }
dialog .buttons { display:flex; flex-direction:row-reverse; justify-content:flex-start; gap:8px; margin-top:16px; }
dialog .buttons .btn { margin:0; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
@media (max-width: 900px) { .grid { grid-template-columns:minmax(0,1fr); } }
@media (max-width: 760px) {
  main { padding:10px; gap:12px; }
  .top { padding:10px 12px; }
  .panel { padding:12px; }
  table.envs, .envs tbody, .envs tr, .envs td { display:block; width:100%; }
  .envs thead { display:none; }
  .envs tr { border:1px solid var(--line); border-radius:10px; padding:8px 12px; margin-bottom:10px; }
  .envs tr[hidden] { display:none; }
  .envs td { display:grid; grid-template-columns:92px minmax(0,1fr); gap:8px; border:0; padding:5px 0; overflow-wrap:anywhere; }
  .envs td::before { content:attr(data-label); color:var(--dim); font-size:12px; }
  .envs td.name { display:block; font-size:16px; padding-bottom:6px; border-bottom:1px solid var(--line); margin-bottom:4px; }
  .envs td.name::before { content:none; }
  .envs td.actions { display:block; white-space:normal; padding-top:8px; }
  .envs td.actions::before { content:none; }
}
`;
