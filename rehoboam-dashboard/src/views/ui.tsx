import type { ComponentChildren } from 'preact';
import { store } from '../store';

const STATE_TONE: Record<string, string> = {
  running: 'ok',
  starting: 'info',
  stopping: 'info',
  registered: 'muted',
  stopped: 'muted',
  backoff: 'warn',
  error: 'bad',
  up: 'ok',
  down: 'bad',
  degraded: 'warn',
  confirmed: 'ok',
  simulated: 'info',
  submitted: 'info',
  rejected: 'muted',
  reverted: 'bad',
  failed: 'bad',
  tripped: 'bad',
  armed: 'ok',
  critical: 'bad',
  warning: 'warn',
  info: 'info',
  // market regimes and severities of the analyses
  calm: 'ok',
  trending: 'info',
  volatile: 'warn',
  illiquid: 'warn',
  stressed: 'bad',
  low: 'muted',
  medium: 'warn',
  high: 'bad',
};

export function Badge({ value, testid }: { value: string | null | undefined; testid?: string }) {
  const v = value ?? 'unknown';
  return (
    <span class={'badge tone-' + (STATE_TONE[v] ?? 'muted')} data-testid={testid}>
      {v}
    </span>
  );
}

export function Card(props: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string; testid?: string }) {
  return (
    <section class={'card ' + (props.class ?? '')} data-testid={props.testid}>
      {(props.title || props.actions) && (
        <header class="card-head">
          <h2>{props.title}</h2>
          <div class="card-actions">{props.actions}</div>
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Kpi(props: { label: string; value: ComponentChildren; hint?: ComponentChildren; tone?: string; testid?: string }) {
  return (
    <div class={'kpi ' + (props.tone ? 'tone-' + props.tone : '')} data-testid={props.testid}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.value}</div>
      {props.hint && <div class="kpi-hint">{props.hint}</div>}
    </div>
  );
}

/** A button for an action that needs a scope: disabled, with the reason as its tooltip, when the key lacks it. */
export function ActionButton(props: {
  scope: 'control' | 'execute';
  busy?: boolean;
  onClick: () => void;
  children: ComponentChildren;
  kind?: 'primary' | 'danger' | 'ghost';
  testid?: string;
  disabledReason?: string | null;
}) {
  const why = store.whyNot(props.scope) ?? props.disabledReason ?? null;
  return (
    <button
      type="button"
      class={'btn btn-' + (props.kind ?? 'ghost')}
      disabled={!!why || props.busy}
      title={why ?? undefined}
      aria-busy={props.busy ? 'true' : undefined}
      data-testid={props.testid}
      onClick={props.onClick}
    >
      {props.busy ? <span class="spinner" aria-hidden="true" /> : null}
      {props.children}
    </button>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}
