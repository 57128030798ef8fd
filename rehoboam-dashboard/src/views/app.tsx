import { useEffect, useState } from 'preact/hooks';
import { store } from '../store';
import { apiKey } from '../key';
import { clock, count, duration } from '../format';
import { useRoute } from './nav';
import { OverviewPage } from './overview';
import { BotPage, BotsPage } from './bots';
import { OpportunitiesPage } from './opportunities';
import { ExecutionsPage } from './executions';
import { RiskPage } from './risk';
import { SystemPage } from './system';
import { AnalysesPage } from './analyses';

function useStore(): void {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), []);
}

const PAGES: [string, string][] = [
  ['', 'Overview'],
  ['bots', 'Bots'],
  ['opportunities', 'Opportunities'],
  ['executions', 'Executions'],
  ['risk', 'Risk'],
  ['analyses', 'Analyses'],
  ['system', 'System'],
];

function Header({ page }: { page: string }) {
  const { connection, access, eventRate } = store.state;
  const open = connection.kind === 'open';
  return (
    <header class="topbar">
      <a class="brand" href="#/">
        <img src="./favicon.svg" alt="" width="26" height="26" />
        Rehoboam
      </a>
      <nav class="tabs">
        {PAGES.map(([path, label]) => (
          <a key={path} href={'#/' + path} class={page === path ? 'tab active' : 'tab'} data-testid={'nav-' + (path || 'overview')}>
            {label}
          </a>
        ))}
      </nav>
      <div class="topbar-right">
        <span class={'pill ' + (open ? 'pill-live' : 'pill-down')} data-testid="connection-pill" data-state={connection.kind}>
          <span class="dot" />
          {open ? `Live · ${count(Math.round(eventRate))} ev/s` : 'Offline'}
        </span>
        {access && (
          <span class="pill" data-testid="access-pill" title={'scopes: ' + access.scopes.join(', ')}>
            {access.anonymous ? 'no key' : 'key ' + access.key_id}
            {!access.scopes.includes('control') ? ' · read-only' : ''}
          </span>
        )}
        {apiKey() && (
          <button type="button" class="btn btn-ghost btn-small" onClick={() => store.forgetKey()} data-testid="forget-key">
            Forget key
          </button>
        )}
      </div>
    </header>
  );
}

function Banners() {
  const { connection, access, now, risk } = store.state;
  return (
    <>
      {risk?.kill_switch.tripped && (
        <div class="banner banner-kill" role="alert" data-testid="kill-switch-banner">
          <strong>Kill switch tripped</strong>
          <span>
            Every execution is refused{risk.kill_switch.by ? ` · by ${risk.kill_switch.by}` : ''}
            {risk.kill_switch.at ? ' at ' + clock(risk.kill_switch.at) : ''}
            {risk.kill_switch.reason ? ` · ${risk.kill_switch.reason}` : ''}
          </span>
          <a href="#/risk" class="btn btn-small btn-ghost">
            Risk →
          </a>
        </div>
      )}
      {connection.kind !== 'open' && store.state.ready && (
        <div class="banner banner-down" role="alert" data-testid="connection-banner">
          <strong>Disconnected from the server.</strong> Reconnecting{connection.kind === 'connecting' ? ` (attempt ${connection.attempt})` : ''}… for{' '}
          {duration(Math.max(0, now - connection.since))}, since {clock(connection.since)}. Events are replayed on reconnect, so nothing is missed.
          {connection.kind === 'closed' && <span class="sub"> Last reason: {connection.reason}</span>}
        </div>
      )}
      {access && !access.scopes.includes('control') && (
        <div class="banner banner-info" data-testid="readonly-banner">
          <strong>Read-only.</strong> {access.anonymous ? 'Without a key this server' : `The API key '${access.key_id}' (scopes: ${access.scopes.join(', ')})`} can watch but
          not steer: starting, stopping and executing need scope control or execute.
        </div>
      )}
    </>
  );
}

function Toasts() {
  return (
    <div class="toasts" aria-live="polite">
      {store.state.toasts.map((t) => (
        <div key={t.id} class={'toast toast-' + t.kind} data-testid={'toast-' + t.kind}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

function KeyDialog() {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <div class="center-screen">
      <form
        class="card key-card"
        data-testid="key-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          await store.useKey(key);
          setBusy(false);
        }}
      >
        <div class="brand big">
          <img src="./favicon.svg" alt="" width="34" height="34" /> Rehoboam
        </div>
        <h2>This server needs an API key</h2>
        <p class="sub">
          The key stays in this browser tab only (session storage) and is sent as the Bearer header and to the WebSocket. Keys with scope <code>read</code> can watch; <code>control</code> and <code>execute</code> can steer.
        </p>
        <input type="password" autocomplete="off" placeholder="API key" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} data-testid="key-input" autofocus />
        {store.state.keyError && <div class="notice bad" data-testid="key-error">{store.state.keyError}</div>}
        <button type="submit" class="btn btn-primary" disabled={!key.trim() || busy} data-testid="key-submit">
          Connect
        </button>
      </form>
    </div>
  );
}

export function App() {
  useStore();
  const route = useRoute();
  const { needKey, fatal, ready } = store.state;
  if (needKey) return <KeyDialog />;
  if (fatal)
    return (
      <div class="center-screen">
        <div class="card key-card">
          <h2>The dashboard cannot start</h2>
          <p class="notice bad">{fatal}</p>
        </div>
      </div>
    );
  const page = route[0] ?? '';
  let body;
  if (!ready) body = <div class="empty">Loading…</div>;
  else if (page === 'bots' && route[1]) body = <BotPage id={route[1]} />;
  else if (page === 'bots') body = <BotsPage />;
  else if (page === 'opportunities') body = <OpportunitiesPage />;
  else if (page === 'executions') body = <ExecutionsPage />;
  else if (page === 'risk') body = <RiskPage />;
  else if (page === 'system') body = <SystemPage />;
  else if (page === 'analyses') body = <AnalysesPage />;
  else body = <OverviewPage />;
  return (
    <div class="shell">
      <Header page={page} />
      <Banners />
      <main class="main" data-page={page || 'overview'}>
        {body}
      </main>
      <Toasts />
    </div>
  );
}
